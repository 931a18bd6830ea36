"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";

/** private_key_jwt's public keys: a pasted JWK Set, or the URL the application publishes it at. */
export function ClientKeyFields({
  jwks,
  jwksUri,
  errors,
}: {
  jwks: UseFormRegisterReturn;
  jwksUri: UseFormRegisterReturn;
  errors: { jwks?: string; jwksUri?: string };
}) {
  return (
    <>
      <Field
        label="Public keys (JWK Set)"
        hint='The application signs its client assertions with the private halves. Paste {"keys": [...]} with public keys only, or leave it empty and enter a JWKS URL.'
        error={errors.jwks}
      >
        <Textarea rows={5} className="font-mono text-xs" {...jwks} placeholder='{"keys": [{"kty": "RSA", "kid": "…", "n": "…", "e": "AQAB"}]}' />
      </Field>
      <Field
        label="JWKS URL"
        hint="Read when a key is needed and kept for five minutes; an assertion with an unknown kid reads it again (at most every 30 seconds)."
        error={errors.jwksUri}
      >
        <Input {...jwksUri} placeholder="https://app.example.com/.well-known/jwks.json" autoComplete="off" />
      </Field>
    </>
  );
}
