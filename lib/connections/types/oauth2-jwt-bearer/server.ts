import "server-only";
import { pemBodyLines, requestJwtBearerToken } from "@/lib/oauth-client";
import { splitList } from "../common";
import type { ConfigOf, ConnectionTypeServer } from "../descriptor";
import { clientAuthDerivedSecrets, clientAuthSettings } from "../oauth-client-auth-server";
import type { oauth2JwtBearerForm } from "./form";

type Config = ConfigOf<typeof oauth2JwtBearerForm>;

export const oauth2JwtBearerServer: ConnectionTypeServer<Config> = {
  urls: (c) => [c.tokenUrl],
  async apply({ headers }, ctx) {
    const token = await ctx.accessToken(ctx.forceRefresh);
    headers.set("Authorization", `Bearer ${token.accessToken}`);
  },
  derivedSecrets: (_c, secrets) => [...pemBodyLines(secrets.assertionKey), ...clientAuthDerivedSecrets(secrets)],
  tokens: {
    renewal: "grant",
    issuedMessage: "Access token issued (JWT bearer)",
    obtain: ({ config: c, secrets, oauth }) =>
      requestJwtBearerToken(
        {
          tokenUrl: c.tokenUrl,
          assertionIssuer: c.assertionIssuer,
          assertionSubject: c.subject || undefined,
          assertionAudienceValue: c.audience || undefined,
          assertionPrivateKeyPem: secrets.assertionKey ?? "",
          assertionKeyId: c.assertionKeyId || undefined,
          assertionSigningAlg: c.assertionAlg,
          assertionLifetimeSeconds: Number(c.assertionLifetime),
          scopes: splitList(c.scopes),
          scopeInAssertion: c.scopeInAssertion,
          ...(c.clientId ? { clientId: c.clientId, ...clientAuthSettings(c, secrets) } : { clientAuth: "none" }),
        },
        oauth,
      ),
    endpoints: (c) => [c.tokenUrl],
  },
  curl: () => ({ kind: "applied" }),
  summary: (c) => [
    { label: "Token URL", value: c.tokenUrl },
    { label: "Issuer", value: c.assertionIssuer },
    ...(c.subject ? [{ label: "Subject", value: c.subject }] : []),
    { label: "Signing", value: `${c.assertionAlg}${c.assertionKeyId ? ` (kid ${c.assertionKeyId})` : ""}` },
  ],
};
