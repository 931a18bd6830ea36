import "server-only";
import { executeHttpRequest } from "@/lib/http";
import { HttpRequestError } from "@/lib/http/errors";
import type { ClientCertificate } from "@/lib/http/types";
import { OAuthError, OAuthTransientError, type TokenSet } from "@/lib/oauth-client";
import { expiredStatusList, splitInput, type ConnectionSecrets, type StoredConfig } from "./config";
import { ConnectionTokenError } from "./errors";
import { ConnectionVariableError, resolveConnectionConfig } from "./connection-variables";
import type { TeamVariables } from "@/lib/variables/variables";
import { adminAllowList, oauthOptions } from "./oauth-transport";
import type { ConnectionInput } from "./schemas";
import { connectionMasker, type ConnectionMasker } from "./secrets";
import { clientCertificateOf } from "./types/client-certificate";
import { connectionProxyOf } from "./types/proxy";
import type { ConnectionProxy } from "@/lib/http/proxy/proxy-plan";
import type { AccessToken, TokenSupport } from "./types/descriptor";
import { buildProvider } from "./types/provider";
import { connectionType, tokensOf } from "./types/registry";
import { checkCredentials, type CheckOutcome } from "./verify-connection";

/**
 * Test on save: Verify's check run on a connection that is not stored yet (a new one, or an edit before it
 * replaces the stored one), with its token held in memory only. Nothing is written: the caller saves only
 * when the check passed, so a wrong client secret never replaces working credentials.
 */

/** Whether saving these settings runs the check first: types that get their own tokens, and any Test URL. */
export function checksOnSave(input: ConnectionInput): boolean {
  if (connectionType(input.type).server.consent) return false; // consent is the check
  const { config } = splitInput(input);
  return tokensOf(config)?.renewal === "grant" || config.testUrl !== "";
}

// As tokens.ts: a network hiccup or a 5xx at the token endpoint is tried again, twice.
const TRANSIENT_RETRY_DELAYS_MS = [250, 1000];

/** `variables`: the team's, when the Test URL or Host names any (variablesForConnection). */
export async function checkDraft(input: ConnectionInput, teamId: string, variables?: TeamVariables): Promise<CheckOutcome> {
  const split = splitInput(input);
  const { secrets } = split;
  let resolved: ReturnType<typeof resolveConnectionConfig> | undefined;
  try {
    resolved = variables && resolveConnectionConfig(input.name, split.config, variables);
  } catch (err) {
    if (!(err instanceof ConnectionVariableError)) throw err;
    return { ok: false, message: err.message };
  }
  const config = resolved?.config ?? split.config;
  const { server } = connectionType(config.type);
  const masker = connectionMasker(config, secrets);
  for (const value of resolved?.secrets ?? []) masker.learn(value);
  const tokens = tokensOf(config);
  const clientCertificate = clientCertificateOf(secrets);
  const caCertificatePem = config.tlsCaCertificate || undefined;
  const proxy = connectionProxyOf(config, secrets);
  let current: AccessToken | undefined;

  const accessToken = async (force: boolean): Promise<AccessToken> => {
    if (!tokens) throw new HttpRequestError("invalid_request", "this connection does not use tokens");
    if (current && !force) return current;
    const issued = await obtainToken(tokens, config, secrets, { teamId, clientCertificate, caCertificatePem, proxy, masker });
    masker.learn(issued.accessToken);
    current = { accessToken: issued.accessToken, tokenType: issued.tokenType, expiresAt: issued.expiresAt ?? null };
    return current;
  };
  const provider = buildProvider(server, {
    config,
    secrets,
    masker,
    expiredStatuses: expiredStatusList(input),
    accessToken,
    session: new Map(),
    clientCertificate,
    caCertificatePem,
    proxy,
  });
  let outcome: CheckOutcome;
  try {
    outcome = await checkCredentials(provider, config, teamId);
  } catch (err) {
    if (!(err instanceof HttpRequestError)) throw err;
    outcome = { ok: false, message: err.message };
  }
  // The provider's words or a Test URL's body may quote a secret: masked before anyone sees them.
  return { ...outcome, message: masker.text(outcome.message) };
}

async function obtainToken(
  tokens: TokenSupport<StoredConfig>,
  config: StoredConfig,
  secrets: ConnectionSecrets,
  tls: { teamId: string; clientCertificate?: ClientCertificate; caCertificatePem?: string; proxy: ConnectionProxy; masker: ConnectionMasker },
): Promise<TokenSet> {
  const { clientCertificate, caCertificatePem, proxy } = tls;
  const oauth = oauthOptions(tokens.endpoints(config), tls.masker, { clientCertificate, caCertificatePem, proxy });
  const send = (spec: Parameters<typeof executeHttpRequest>[0]) =>
    executeHttpRequest(spec, { allowedTargets: adminAllowList(), limitKey: tls.teamId, clientCertificate, caCertificatePem, proxy });
  for (let attempt = 1; ; attempt++) {
    try {
      return await tokens.obtain({ config, secrets, oauth, send });
    } catch (err) {
      const transient = err instanceof OAuthTransientError || (err instanceof ConnectionTokenError && err.reason === "transient");
      const delay = TRANSIENT_RETRY_DELAYS_MS[attempt - 1];
      if (transient && delay !== undefined) {
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      if (!(err instanceof OAuthError || err instanceof ConnectionTokenError)) throw err;
      const tries = attempt > 1 ? ` (${attempt} attempts)` : "";
      // The same words as a stored connection's failed token request (tokens.ts).
      throw new HttpRequestError(transient ? "network" : "invalid_request", `Getting an access token failed${tries}: ${err.message}`);
    }
  }
}
