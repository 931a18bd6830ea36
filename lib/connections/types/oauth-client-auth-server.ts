import "server-only";
import { pemBodyLines, type ClientCredentialsConfigInput } from "@/lib/oauth-client";
import type { StoredSecrets } from "./descriptor";
import type { ClientAuthValues } from "./oauth-client-auth";

/** The client authentication settings of lib/oauth-client from a connection's config and secrets (see oauth-client-auth.ts). */
export type ClientAuthSettingsInput = Pick<
  ClientCredentialsConfigInput,
  "clientAuth" | "clientSecret" | "privateKeyPem" | "keyId" | "signingAlg" | "assertionAudience" | "issuer"
>;

/** Spread into a lib/oauth-client config input, next to clientId and the endpoints. */
export function clientAuthSettings(config: Omit<ClientAuthValues, "clientSecret" | "privateKey">, secrets: StoredSecrets): ClientAuthSettingsInput {
  const privateKey = config.clientAuth === "private_key_jwt";
  return {
    clientAuth: config.clientAuth,
    clientSecret: privateKey ? undefined : secrets.clientSecret,
    privateKeyPem: privateKey ? secrets.privateKey : undefined,
    keyId: config.keyId || undefined,
    signingAlg: config.signingAlg,
    assertionAudience: config.assertionAudience,
    issuer: config.issuer || undefined,
  };
}

/** For the type's derivedSecrets: the private key's base64 lines, which a provider or parser could quote one by one. */
export function clientAuthDerivedSecrets(secrets: StoredSecrets): string[] {
  return pemBodyLines(secrets.privateKey);
}
