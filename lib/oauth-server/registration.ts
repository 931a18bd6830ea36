import "server-only";
import { eq, lt } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db";
import { oauthClientRegistrations, oauthClientSecrets, oauthClients, type OAuthClientRegistrationRow, type OAuthClientRow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { clientIp } from "@/lib/auth/client-ip";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import type { Actor } from "@/lib/auth/team-context";
import { userActor } from "@/lib/auth/team-context";
import { getEnv } from "@/lib/config/env";
import { BodyTooLargeError, readBodyJson } from "@/lib/inbound/read-body";
import { type ClientKeySet, jwksUriProblem, parseClientJwks } from "./client-keys-schema";
import { MCP_SCOPE_PREFIX } from "./resources";
import { redirectUriProblem } from "./schemas";
import { SCOPE_NAMES } from "./scopes";
import { hashSecret, randomClientId, randomSecret } from "./secrets";

/** An unbound registration is kept this long for its first authorization. */
const PENDING_TTL_MS = 24 * 3600 * 1000;
const REGISTRATION_BODY_MAX_BYTES = 16 * 1024;
/** What an open registration may ask for: the MCP scopes; REST API clients are created by an admin. */
export const DYNAMIC_CLIENT_SCOPES = SCOPE_NAMES.filter((s) => s.startsWith(MCP_SCOPE_PREFIX));

/** RFC 7591 §2 client metadata, the fields Plugboard uses; others are ignored (§3.2.1 lets the server). */
const clientMetadataSchema = z.object({
  redirect_uris: z.array(z.string().max(2000)).min(1, "redirect_uris is required.").max(10, "At most 10 redirect_uris."),
  client_name: z.string().trim().max(80).optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.string().optional(),
  jwks: z.unknown().optional(),
  jwks_uri: z.string().max(2048).optional(),
  scope: z.string().max(1000).optional(),
});

function registrationError(error: "invalid_redirect_uri" | "invalid_client_metadata", description: string, status = 400): Response {
  return Response.json({ error, error_description: description }, { status, headers: { "Cache-Control": "no-store" } });
}

/**
 * private_key_jwt's keys (RFC 7591 §2: jwks or jwks_uri, never both), checked as on the Applications page;
 * a registration with a secret method keeps none. Returns the columns, or the problem to answer with.
 */
function registeredKeys(
  authMethod: string,
  metadata: { jwks?: unknown; jwks_uri?: string },
): { jwks: ClientKeySet | null; jwksUri: string | null } | string {
  if (metadata.jwks !== undefined && metadata.jwks_uri !== undefined) return "jwks and jwks_uri must not both be present (RFC 7591 §2).";
  if (authMethod !== "private_key_jwt") return { jwks: null, jwksUri: null };
  if (metadata.jwks_uri !== undefined) {
    const problem = jwksUriProblem(metadata.jwks_uri);
    return problem ? `jwks_uri: ${problem}` : { jwks: null, jwksUri: metadata.jwks_uri };
  }
  if (metadata.jwks === undefined) return "token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri.";
  const parsed = parseClientJwks(JSON.stringify(metadata.jwks));
  return "problem" in parsed ? `jwks: ${parsed.problem}` : { jwks: parsed.jwks, jwksUri: null };
}

/** RFC 7591 §2 token_endpoint_auth_method: the ones offered; `none` (and an absent one) gets client_secret_basic (§3.2.1: the server chooses). */
function registeredAuthMethod(requested: string | undefined): "client_secret_basic" | "client_secret_post" | "private_key_jwt" {
  return requested === "client_secret_post" || requested === "private_key_jwt" ? requested : "client_secret_basic";
}

/**
 * POST /oauth2/register (RFC 7591 §3): open registration, rate-limited per address. The client gets a
 * secret, or registers its public keys for private_key_jwt (then no secret is issued), and the MCP scopes.
 * It belongs to no team until a user approves it on the consent screen (bindRegistration).
 */
export async function handleRegistrationRequest(db: Database, request: Request): Promise<Response> {
  const ip = clientIp(request.headers);
  const perHour = getEnv().oauthRegistrationsPerHour;
  if ((await hitRateLimit(db, `oauth:register:${ip}`, { limit: perHour, windowSeconds: 3600 })) > perHour) {
    return Response.json(
      { error: "rate_limited", error_description: `At most ${perHour} registrations an hour from one address.` },
      { status: 429, headers: { "Retry-After": "3600" } },
    );
  }
  const json = await readBodyJson(request, REGISTRATION_BODY_MAX_BYTES).catch((error: unknown) => error);
  if (json instanceof BodyTooLargeError) return registrationError("invalid_client_metadata", json.message, 413);
  const parsed = clientMetadataSchema.safeParse(json);
  if (json instanceof Error || !parsed.success) {
    const issue = parsed.success ? null : parsed.error.issues[0];
    return registrationError("invalid_client_metadata", issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "The body must be JSON.");
  }
  const metadata = parsed.data;
  for (const uri of metadata.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) return registrationError("invalid_redirect_uri", `${uri.slice(0, 100)}: ${problem}`);
  }
  const grants = metadata.grant_types ?? ["authorization_code"];
  if (grants.some((g) => g !== "authorization_code" && g !== "refresh_token") || !grants.includes("authorization_code")) {
    return registrationError("invalid_client_metadata", "grant_types: only authorization_code (with refresh_token) is offered.");
  }
  if ((metadata.response_types ?? ["code"]).some((t) => t !== "code"))
    return registrationError("invalid_client_metadata", "response_types: only code.");
  const requested = metadata.scope ? metadata.scope.split(/\s+/).filter(Boolean) : DYNAMIC_CLIENT_SCOPES;
  const unknown = requested.filter((s) => !(DYNAMIC_CLIENT_SCOPES as string[]).includes(s));
  if (unknown.length) return registrationError("invalid_client_metadata", `scope: only ${DYNAMIC_CLIENT_SCOPES.join(" ")} may be registered.`);
  const authMethod = registeredAuthMethod(metadata.token_endpoint_auth_method);
  const keys = registeredKeys(authMethod, metadata);
  if (typeof keys === "string") return registrationError("invalid_client_metadata", keys);

  const clientId = randomClientId();
  const clientSecret = authMethod === "private_key_jwt" ? null : randomSecret("pbs");
  const name = metadata.client_name || "MCP client";
  const redirectUris = [...new Set(metadata.redirect_uris)];
  await db.delete(oauthClientRegistrations).where(lt(oauthClientRegistrations.expiresAt, new Date()));
  await db.insert(oauthClientRegistrations).values({
    clientId,
    name,
    redirectUris,
    authMethod,
    secretHash: clientSecret ? hashSecret(clientSecret) : null,
    ...keys,
    scopes: requested,
    expiresAt: new Date(Date.now() + PENDING_TTL_MS),
  });
  return Response.json(
    {
      client_id: clientId,
      ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
      client_id_issued_at: Math.floor(Date.now() / 1000),
      client_name: name,
      redirect_uris: redirectUris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: authMethod,
      ...(keys.jwks ? { jwks: keys.jwks } : {}),
      ...(keys.jwksUri ? { jwks_uri: keys.jwksUri } : {}),
      scope: requested.join(" "),
    },
    { status: 201, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } },
  );
}

export async function findPendingRegistration(db: Executor, clientId: string) {
  const [row] = await db.select().from(oauthClientRegistrations).where(eq(oauthClientRegistrations.clientId, clientId));
  return row && row.expiresAt > new Date() ? row : null;
}

/**
 * The allowing user's team takes the registration: it becomes an application of that team (listed under
 * Applications as registered dynamically), with the registered secret. Approved by this user, unless
 * `needsApproval` (the team wants an admin's approval and the user is not one): then it waits for an admin
 * under Applications and gets no code or token until then. Consumed with DELETE … RETURNING, so two
 * approvals cannot both bind it.
 */
export async function bindRegistration(
  tx: Executor,
  registration: { clientId: string; teamId: string; needsApproval: boolean },
  user: Actor,
  ip: string | null,
): Promise<OAuthClientRow | null> {
  const { clientId, teamId, needsApproval } = registration;
  const [pending] = await tx.delete(oauthClientRegistrations).where(eq(oauthClientRegistrations.clientId, clientId)).returning();
  if (!pending || pending.expiresAt <= new Date()) return null;
  const [client] = await tx
    .insert(oauthClients)
    .values({
      teamId,
      clientId,
      name: pending.name,
      grantType: "authorization_code",
      authMethod: pending.authMethod,
      jwks: pending.jwks,
      jwksUri: pending.jwksUri,
      redirectUris: pending.redirectUris,
      scopes: pending.scopes,
      registration: "dynamic",
      createdBy: user.id,
      approvedBy: needsApproval ? null : user.id,
      approvedAt: needsApproval ? null : new Date(),
    })
    .returning();
  if (pending.secretHash) await tx.insert(oauthClientSecrets).values({ clientId: client.id, secretHash: pending.secretHash, createdBy: user.id });
  await recordAudit(tx, {
    teamId,
    actor: userActor(user),
    action: "oauth.client_registered",
    target: { type: "oauth_client", id: client.id },
    metadata: { name: client.name, clientId, scopes: client.scopes, redirectUris: client.redirectUris, pendingApproval: needsApproval },
    ip,
  });
  return client;
}

/**
 * A pending registration seen as the client it will become, for the checks and the consent screen of
 * /oauth2/authorize only: it has no row id and no team yet (AuthorizationRequest.pendingRegistration).
 */
export function pendingClientView(r: OAuthClientRegistrationRow): OAuthClientRow {
  return {
    id: "",
    teamId: "",
    clientId: r.clientId,
    name: r.name,
    configuredBy: "customer",
    systemKind: null,
    ownerUserId: null,
    grantType: "authorization_code",
    authMethod: r.authMethod,
    jwks: r.jwks,
    jwksUri: r.jwksUri,
    redirectUris: r.redirectUris,
    scopes: r.scopes,
    role: "member",
    serviceUserId: null,
    accessTokenFormat: "opaque",
    secretRotatedAt: r.createdAt,
    secretLifetimeDays: null,
    accessTokenTtlSeconds: null,
    refreshTokenTtlSeconds: null,
    createdBy: null,
    createdAt: r.createdAt,
    lastUsedAt: null,
    registration: "dynamic",
    approvedBy: null,
    approvedAt: null,
  };
}
