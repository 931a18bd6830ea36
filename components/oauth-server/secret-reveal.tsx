"use client";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/input";
import { CLIENT_AUTH_METHODS } from "@/lib/oauth-server/client-auth-methods";
import { type TokenRequestTarget, tokenRequestCurl } from "@/lib/oauth-server/token-request-curl";
import { CodeBlock } from "@/components/ui/code-block";

/** The client credentials, shown once after create or regenerate, with a token request that works as shown. */
export function SecretReveal({ clientId, clientSecret, tokenRequest }: { clientId: string; clientSecret: string; tokenRequest: TokenRequestTarget }) {
  const curl = tokenRequestCurl(tokenRequest);
  const method = CLIENT_AUTH_METHODS[tokenRequest.authMethod];
  return (
    <div className="space-y-3">
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Copy the client secret now. It will not be shown again; if it is lost, regenerate it.
      </p>
      {[
        ["Client ID", clientId],
        ["Client secret", clientSecret],
      ].map(([label, value]) => (
        <div key={label}>
          <label className="mb-1 block text-sm font-medium" htmlFor={`reveal-${label}`}>
            {label}
          </label>
          <div className="flex gap-2">
            <Input id={`reveal-${label}`} readOnly value={value} className="font-mono" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
          </div>
        </div>
      ))}
      <section aria-labelledby="reveal-token-request">
        <div className="mb-1 flex items-center justify-between gap-2">
          <h3 id="reveal-token-request" className="text-sm font-medium">
            Token request
          </h3>
          <CopyButton value={curl} label="Copy curl command" />
        </div>
        <p className="mb-2 text-sm text-zinc-600">
          {method.label} ({tokenRequest.authMethod}): the client sends its credentials in {method.carriedAs}.
          {tokenRequest.authMethod === "private_key_jwt" &&
            " Replace CLIENT_ASSERTION with a JWT your application signs for each request (iss and sub: the client ID; aud: the token endpoint URL; exp; a new jti). The secret is kept in case you switch back to a secret method."}
          {tokenRequest.grantType === "authorization_code" &&
            " Replace AUTHORIZATION_CODE and PKCE_CODE_VERIFIER with the code your redirect URI received and the verifier you made for it."}
        </p>
        <CodeBlock
          label="Token request curl command"
          data-testid="token-request-curl"
          className="overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100"
        >
          {curl}
        </CodeBlock>
      </section>
    </div>
  );
}
