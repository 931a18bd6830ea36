// Zod-free, so that the pages showing them do not load zod (./schemas.ts re-exports them).
export const GRANT_TYPE_LABELS = { client_credentials: "Client credentials", authorization_code: "Authorization code" } as const;
export const AUTH_METHOD_LABELS = {
  client_secret_basic: "Client secret basic",
  client_secret_post: "Client secret post",
  private_key_jwt: "Private key JWT",
} as const;
export const ACCESS_TOKEN_FORMAT_LABELS = { opaque: "Opaque (pbat_…)", jwt: "JWT (RFC 9068)" } as const;

/** What Plugboard made each system-configured client for (lib/oauth-server/system-clients.ts). */
export const SYSTEM_CLIENT_KINDS = {
  personal_access_token: { label: "Personal access token", ownerMayDelete: true },
  api_docs: { label: "API documentation (Try it)", ownerMayDelete: false },
} as const satisfies Record<string, { label: string; ownerMayDelete: boolean }>;
export type SystemClientKind = keyof typeof SYSTEM_CLIENT_KINDS;
