import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

/** What an agent keeps between runs (its registration, tokens, PKCE verifier) and the authorization URL it was sent to. */
export type AgentMemory = { info?: OAuthClientInformationMixed; tokens?: OAuthTokens; verifier?: string; authUrl?: URL };

/**
 * The official SDK's OAuth client provider kept in memory, as an MCP agent in a test: it registers as
 * `clientName` with one redirect URI and records where the SDK sends the user instead of opening a browser.
 */
export function memoryOAuthProvider(
  clientName: string,
  redirectUri: string,
  metadata: Partial<OAuthClientMetadata> = {},
): { provider: OAuthClientProvider; saved: AgentMemory } {
  const saved: AgentMemory = {};
  const provider: OAuthClientProvider = {
    get redirectUrl() {
      return redirectUri;
    },
    get clientMetadata() {
      return {
        client_name: clientName,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        ...metadata,
      };
    },
    clientInformation: () => saved.info,
    saveClientInformation: (info) => {
      saved.info = info;
    },
    tokens: () => saved.tokens,
    saveTokens: (tokens) => {
      saved.tokens = tokens;
    },
    redirectToAuthorization: (url) => {
      saved.authUrl = url;
    },
    saveCodeVerifier: (verifier) => {
      saved.verifier = verifier;
    },
    codeVerifier: () => saved.verifier ?? "",
  };
  return { provider, saved };
}
