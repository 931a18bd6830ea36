"use client";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { AUTH_METHOD_LABELS } from "@/lib/oauth-server/labels";

type AuthMethod = keyof typeof AUTH_METHOD_LABELS;

/**
 * How an application authenticates at the token endpoint: the method, and for private_key_jwt its public
 * keys. The create form and the Authentication dialog both show it.
 */
export function ClientAuthenticationFields({
  method,
  chosen,
  hint,
  jwks,
  jwksUri,
  errors,
}: {
  method: UseFormRegisterReturn;
  /** The method chosen now (the form's watched value): the keys are asked for private_key_jwt only. */
  chosen: AuthMethod | undefined;
  hint?: string;
  jwks: UseFormRegisterReturn;
  jwksUri: UseFormRegisterReturn;
  errors: { authMethod?: string; jwks?: string; jwksUri?: string };
}) {
  return (
    <>
      <Field label="Authentication method" hint={hint} error={errors.authMethod}>
        <Select {...method}>
          {Object.entries(AUTH_METHOD_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      {chosen === "private_key_jwt" && <ClientKeyFields jwks={jwks} jwksUri={jwksUri} errors={errors} />}
    </>
  );
}

/** private_key_jwt's public keys: a pasted JWK Set, or the URL the application publishes it at. */
function ClientKeyFields({
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
