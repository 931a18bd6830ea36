/** The associated data binding a stored provider's sealed client secret to its row (lib/sso/stored-providers.ts, key rotation). */
export const ssoProviderAad = (id: string) => `sso_provider:${id}`;
