import "server-only";
import { requestPasswordToken } from "@/lib/oauth-client";
import { splitList } from "../common";
import type { ConfigOf, ConnectionTypeServer } from "../descriptor";
import { clientAuthDerivedSecrets, clientAuthSettings } from "../oauth-client-auth-server";
import type { oauth2PasswordForm } from "./form";

type Config = ConfigOf<typeof oauth2PasswordForm>;

export const oauth2PasswordServer: ConnectionTypeServer<Config> = {
  urls: (c) => [c.tokenUrl],
  async apply({ headers }, ctx) {
    const token = await ctx.accessToken(ctx.forceRefresh);
    headers.set("Authorization", `Bearer ${token.accessToken}`);
  },
  derivedSecrets: (_c, secrets) => clientAuthDerivedSecrets(secrets),
  tokens: {
    renewal: "grant",
    issuedMessage: "Access token issued (password grant)",
    obtain: ({ config: c, secrets, oauth }) =>
      requestPasswordToken(
        {
          tokenUrl: c.tokenUrl,
          username: c.username,
          password: secrets.password ?? "",
          clientId: c.clientId,
          ...clientAuthSettings(c, secrets),
          scopes: splitList(c.scopes),
        },
        oauth,
      ),
    endpoints: (c) => [c.tokenUrl],
  },
  curl: () => ({ kind: "applied" }),
  summary: (c) => [
    { label: "Token URL", value: c.tokenUrl },
    { label: "User", value: c.username },
    { label: "Client authentication", value: c.clientAuth },
  ],
};
