import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { oauthClients, type OAuthClientRow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { hitRateLimit, rateLimitRetryAfter } from "@/lib/auth/rate-limit";
import { JWT_BEARER_ASSERTION_TYPE, wrongMethodDescription } from "./client-auth-methods";
import { assertionClientId, verifyClientAssertion } from "./private-key-jwt";
import { CLIENT_AUTH_LIMITS, issuer } from "./config";
import { OAuthError } from "./errors";
import { findClientSecret, markSecretsUsed } from "./client-secrets";
import { hashSecret } from "./secrets";
import { sql } from "drizzle-orm";
import { applicationActor } from "@/lib/auth/actor";

export type AuthenticatedClient = { client: OAuthClientRow; basicAuthUsed: boolean };

type Presented =
  | { clientId: string; secret: string; method: "client_secret_basic" | "client_secret_post" }
  | { clientId: string; assertion: string; method: "private_key_jwt" };

// RFC 6749 §2.3.1: both halves of the Basic credentials are form-urlencoded before base64.
const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, "%20"));

/** The credentials the request carries, by either method; null without any. Throws on malformed ones. */
export function presentedCredentials(headers: Headers, params: Map<string, string>): Presented | null {
  const authorization = headers.get("authorization");
  if (params.has("client_assertion") || params.has("client_assertion_type")) {
    if (params.has("client_secret") || (authorization && /^Basic\b/i.test(authorization))) {
      throw new OAuthError("invalid_request", "Use one client authentication method, not both.");
    }
    return presentedAssertion(params);
  }
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (authorization && /^Basic\b/i.test(authorization)) {
    if (params.has("client_secret")) throw new OAuthError("invalid_request", "Use one client authentication method, not both.");
    const decoded = basic ? Buffer.from(basic[1], "base64").toString("utf8") : "";
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new OAuthError("invalid_client", "The Basic credentials are malformed.", 401, { basicAuthUsed: true });
    try {
      const clientId = formDecode(decoded.slice(0, colon));
      if (params.has("client_id") && params.get("client_id") !== clientId) {
        throw new OAuthError("invalid_request", "client_id does not match the Basic credentials.");
      }
      return { clientId, secret: formDecode(decoded.slice(colon + 1)), method: "client_secret_basic" };
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      throw new OAuthError("invalid_client", "The Basic credentials are malformed.", 401, { basicAuthUsed: true });
    }
  }
  const clientId = params.get("client_id");
  const secret = params.get("client_secret");
  if (clientId && secret) return { clientId, secret, method: "client_secret_post" };
  return null;
}

/** RFC 7521 §4.2: a client assertion, with client_id optional (the assertion's sub names the client then). */
function presentedAssertion(params: Map<string, string>): Presented {
  const type = params.get("client_assertion_type");
  const assertion = params.get("client_assertion");
  if (type !== JWT_BEARER_ASSERTION_TYPE) {
    throw new OAuthError("invalid_client", `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}.`, 401);
  }
  if (!assertion) throw new OAuthError("invalid_request", "Parameter client_assertion is required with client_assertion_type.");
  const clientId = params.get("client_id") ?? assertionClientId(assertion);
  if (!clientId) throw new OAuthError("invalid_client", "The client assertion is not a JWT that names its client (sub).", 401);
  return { clientId, assertion, method: "private_key_jwt" };
}

/** RFC 7523 §3 item 3: the issuer or the token endpoint URL; the endpoint called is accepted as well. */
function assertionAudiences(endpoint: "token" | "revoke" | "introspect"): string[] {
  const base = issuer();
  const paths = { token: "/oauth2/token", revoke: "/oauth2/revoke", introspect: "/oauth2/introspect" } as const;
  return [...new Set([base, `${base}/oauth2/token`, `${base}${paths[endpoint]}`])];
}

/**
 * Authenticates the calling client by its registered method. Failures are audited and counted per
 * client_id and per IP; over the limit, even a correct secret is refused until the window ends.
 */
export async function authenticateClient(
  db: Executor,
  request: { headers: Headers; params: Map<string, string>; ip: string; endpoint: "token" | "revoke" | "introspect" },
): Promise<AuthenticatedClient> {
  const { params, ip } = request;
  const presented = presentedCredentials(request.headers, params);
  const basicAuthUsed = presented?.method === "client_secret_basic";
  // Refusals at the token endpoint are refused token requests; elsewhere they are failed client logins.
  const failedAction = request.endpoint === "token" ? "oauth.token_refused" : "oauth.client_auth_failed";
  if (!presented) {
    await hitRateLimit(db, `oauth-client-auth:ip:${ip}`, CLIENT_AUTH_LIMITS.ip);
    await recordAudit(db, {
      teamId: null,
      actor: applicationActor(null),
      action: failedAction,
      metadata: { error: "invalid_client", reason: "no_client_authentication", endpoint: request.endpoint },
      ip,
    });
    throw new OAuthError("invalid_client", "Client authentication is required.", 401);
  }
  const clientKey = `oauth-client-auth:client:${presented.clientId.slice(0, 200)}`;
  const ipKey = `oauth-client-auth:ip:${ip}`;
  const [client] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, presented.clientId));
  const audit = (action: string, reason: string) =>
    recordAudit(db, {
      teamId: client?.teamId ?? null,
      actor: applicationActor(client),
      action,
      target: client ? { type: "oauth_client", id: client.id } : undefined,
      metadata: { error: "invalid_client", reason, endpoint: request.endpoint, clientId: presented.clientId.slice(0, 100) },
      ip,
    });

  const retryAfter = Math.max(
    await rateLimitRetryAfter(db, clientKey, CLIENT_AUTH_LIMITS.client),
    await rateLimitRetryAfter(db, ipKey, CLIENT_AUTH_LIMITS.ip),
  );
  if (retryAfter > 0) {
    await audit("oauth.client_auth_rate_limited", "too_many_failures");
    throw new OAuthError("invalid_client", "Too many failed client authentications. Try again later.", 429, { basicAuthUsed, retryAfter });
  }

  const now = new Date();
  let secret: Awaited<ReturnType<typeof findClientSecret>> = null;
  let refusal: { reason: string; description?: string } | null;
  if (presented.method === "private_key_jwt") {
    refusal = !client
      ? { reason: "unknown_client" }
      : client.authMethod !== presented.method
        ? { reason: "wrong_method" }
        : await verifyClientAssertion(db, client, presented.assertion, assertionAudiences(request.endpoint));
  } else {
    // Looked up by the SHA-256 of the presented value (an indexed hash lookup, never a comparison of the
    // secret itself); for an unknown client the hash is computed all the same, so the timing does not tell.
    if (client) secret = await findClientSecret(db, client.id, presented.secret);
    else hashSecret(presented.secret);
    refusal = !client
      ? { reason: "unknown_client" }
      : !secret || secret.revokedAt
        ? { reason: "wrong_secret" }
        : secret.expiresAt && secret.expiresAt <= now
          ? {
              reason: "secret_expired",
              description: `The client secret expired at ${secret.expiresAt.toISOString()}. Use another active secret of this client, or ask an admin for a new one.`,
            }
          : client.authMethod !== presented.method
            ? { reason: "wrong_method" }
            : null;
  }
  // `!client` is part of `refusal`; testing it again lets TypeScript narrow `client` below.
  if (!client || refusal) {
    const reason = refusal?.reason ?? "unknown_client";
    await hitRateLimit(db, clientKey, CLIENT_AUTH_LIMITS.client);
    await hitRateLimit(db, ipKey, CLIENT_AUTH_LIMITS.ip);
    await audit(failedAction, reason);
    const description =
      client && reason === "wrong_method"
        ? wrongMethodDescription(client.authMethod, presented.method)
        : (refusal?.description ?? "Client authentication failed.");
    throw new OAuthError("invalid_client", description, 401, { basicAuthUsed });
  }
  if (secret) await db.execute(markSecretsUsed(sql`${secret.id}::uuid`));
  return { client, basicAuthUsed };
}
