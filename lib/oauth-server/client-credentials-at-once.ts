import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { auditEvents, oauthClientSecrets, oauthClients, oauthTokens, rateLimits } from "@/db/schema";
import { postgresSafe } from "@/lib/storage/postgres-safe";
import { preparedStatement } from "@/lib/storage/prepared";
import { presentedCredentials } from "./client-auth";
import { accessTokenTtlSeconds, CLIENT_AUTH_LIMITS, LAST_USED_RESOLUTION_SECONDS } from "./config";
import { markSecretsUsed } from "./client-secrets";
import { markClientsUsed } from "./last-used";
import { MCP_SCOPE_PREFIX } from "./resources";
import { parseScopeParam } from "./scopes";
import { hashSecret, randomSecret } from "./secrets";
import type { IssuedTokens } from "./tokens";
import { BoundedMap } from "@/lib/memory/bounded-map";

type IssueValues = {
  secretHash: string;
  expiresIn: number;
  /** The requested scopes as a JSON array. */
  requested: string;
  clientId: string;
  authMethod: string;
  clientKey: string;
  ipKey: string;
  tokenHash: string;
  ip: string;
};

/**
 * The statement, built once (about 4 KB of SQL: drizzle took some 50 us to build it per token and Postgres
 * parsed and planned it per token; now once per pooled connection). Two variants: one also records the use
 * (client and secret last_used_at, throttled to LAST_USED_RESOLUTION_SECONDS) and answers how long that record
 * stays fresh; the other leaves them alone, for while this process knows they are fresh. Those two UPDATEs
 * write nothing on almost every token, yet planning and starting them was about a third of Postgres's work
 * per token (pgbench, 16 clients: 1,050 tokens/s with them, 1,630 without).
 */
const issueSql = (recordUse: boolean) => sql`
    with secret as (
      -- Any active secret of the client: during a rotation the old and the new one both work.
      select ${oauthClientSecrets.id} as id, ${oauthClientSecrets.clientId} as client_id, ${oauthClientSecrets.lastUsedAt} as last_used_at from ${oauthClientSecrets}
      where ${oauthClientSecrets.secretHash} = ${sql.placeholder("secretHash")}
        and ${oauthClientSecrets.revokedAt} is null
        and (${oauthClientSecrets.expiresAt} is null or ${oauthClientSecrets.expiresAt} > now())
    ),
    client as (
      select ${oauthClients.id} as id, secret.id as secret_id, secret.last_used_at as secret_last_used_at, ${oauthClients.lastUsedAt} as last_used_at,
             coalesce(${oauthClients.accessTokenTtlSeconds}, ${sql.placeholder("expiresIn")}) as expires_in, ${oauthClients.teamId} as team_id, ${oauthClients.name} as name,
             ${oauthClients.clientId} as client_id, ${oauthClients.serviceUserId} as service_user_id,
             case when ${sql.placeholder("requested")}::jsonb = '[]'::jsonb then ${oauthClients.scopes} else ${sql.placeholder("requested")}::jsonb end as scopes
      from ${oauthClients} join secret on secret.client_id = ${oauthClients.id}
      where ${oauthClients.clientId} = ${sql.placeholder("clientId")}
        and ${oauthClients.authMethod} = ${sql.placeholder("authMethod")}
        and ${oauthClients.grantType} = 'client_credentials'
        and ${oauthClients.accessTokenFormat} = 'opaque'
        and ${oauthClients.serviceUserId} is not null
        -- An application waiting for an admin's approval takes the full path, which refuses it by name.
        and ${oauthClients.approvedAt} is not null
        and ${oauthClients.scopes} @> ${sql.placeholder("requested")}::jsonb
        -- A client with MCP scopes takes the full path, which keeps them out of a token for the REST API.
        and not exists (select 1 from jsonb_array_elements_text(${oauthClients.scopes}) as scope(name) where scope.name like ${`${MCP_SCOPE_PREFIX}%`})
        and not exists (
          select 1 from ${rateLimits}
          where (${rateLimits.key} = ${sql.placeholder("clientKey")} and ${rateLimits.count} >= ${CLIENT_AUTH_LIMITS.client.limit}
                 and ${rateLimits.windowStart} > now() - make_interval(secs => ${CLIENT_AUTH_LIMITS.client.windowSeconds}))
             or (${rateLimits.key} = ${sql.placeholder("ipKey")} and ${rateLimits.count} >= ${CLIENT_AUTH_LIMITS.ip.limit}
                 and ${rateLimits.windowStart} > now() - make_interval(secs => ${CLIENT_AUTH_LIMITS.ip.windowSeconds})))
    ),
    issued as (
      insert into ${oauthTokens} (token_hash, kind, client_id, team_id, scopes, expires_at)
      select ${sql.placeholder("tokenHash")}, 'access', id, team_id, scopes, now() + make_interval(secs => expires_in) from client
      returning client_id, scopes
    ),
    audited as (
      -- What recordAudit writes for applicationActor(client) (the test compares the two).
      insert into ${auditEvents} (team_id, actor_kind, actor_id, actor_label, actor_user_id, action, target_type, target_id, metadata, ip)
      select client.team_id, 'application', client.id::text, client.name, client.service_user_id, 'oauth.token_issued',
             'oauth_client', client.id::text,
             jsonb_build_object('clientId', client.client_id, 'grantType', 'client_credentials', 'scopes', issued.scopes, 'refreshToken', false),
             ${sql.placeholder("ip")}
      from client join issued on issued.client_id = client.id
    )${
      recordUse
        ? sql`,
    used as (${markClientsUsed(sql`select client_id from issued`)} returning 1),
    secret_used as (${markSecretsUsed(sql`select client.secret_id from client join issued on issued.client_id = client.id`)} returning 1)`
        : sql``
    }
    select issued.scopes, client.expires_in${
      recordUse
        ? sql`,
      -- Seconds until a use must be recorded again: the older of the two records, as this statement leaves them.
      ${LAST_USED_RESOLUTION_SECONDS} - extract(epoch from now() - least(${recordedUse(sql`client.last_used_at`, sql`used`)}, ${recordedUse(sql`client.secret_last_used_at`, sql`secret_used`)})) as fresh_seconds`
        : sql``
    }
    from issued join client on client.id = issued.client_id`;

/**
 * A last_used_at after its update (`written`, the CTE) ran: as it was when still fresh, now() when the update
 * wrote it, and due at once when the update skipped a row another transaction held locked (so the next token
 * records it).
 */
const recordedUse = (column: SQL, written: SQL) => {
  const due = sql`now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS})`;
  return sql`case when ${column} >= ${due} then ${column} when exists (select 1 from ${written}) then now() else ${due} end`;
};

const issueRecordingUse = preparedStatement<IssueValues>("oauth_client_credentials_at_once", () => issueSql(true));
const issueOnly = preparedStatement<IssueValues>("oauth_client_credentials_at_once_use_recorded", () => issueSql(false));

/**
 * Until when (this process's clock) a secret's and its client's last_used_at are known to be fresh, by the
 * secret's hash; bounded, the oldest entry goes first. Each instance keeps its own: each records a use at
 * most once per resolution, and a record never lags a use by more than the resolution.
 */
const useRecordedUntil = new BoundedMap<string, number>(10_000);

/**
 * A client_credentials token in one statement (one database round trip): the client is found by its
 * client_id and the SHA-256 of the presented secret (RFC 6749 §2.3.1: a high-entropy random secret, so a
 * fast hash; the lookup compares hashes, never the secret), its failure counters are checked, and the
 * token row, the `oauth.token_issued` audit row and the throttled last_used_at are written together.
 * Returns null when anything is not plainly right (malformed or wrong credentials, another method or grant,
 * no service member, not approved, a scope not registered, over the failure limit): the full path then works out which,
 * counts and audits the failure and answers it, exactly as for any other refusal.
 */
export async function issueClientCredentialsAtOnce(
  db: Executor,
  request: { headers: Headers; params: Map<string, string>; ip: string },
): Promise<IssuedTokens | null> {
  let presented: ReturnType<typeof presentedCredentials>;
  try {
    presented = presentedCredentials(request.headers, request.params);
  } catch {
    return null;
  }
  const requested = parseScopeParam(request.params.get("scope"));
  // A resource indicator or an MCP scope takes the full path, which binds the token to its resource.
  // A client assertion takes the full path, which verifies it (and may read the client's jwks_uri).
  if (
    !presented ||
    presented.method === "private_key_jwt" ||
    requested === null ||
    request.params.has("resource") ||
    requested.some((s) => s.startsWith(MCP_SCOPE_PREFIX))
  )
    return null;

  // The instance default; the client's own lifetime, when set, wins in the statement.
  const expiresIn = accessTokenTtlSeconds();
  const accessToken = randomSecret("pbat");
  // The same keys and rule as authenticateClient's rateLimitRetryAfter: over the limit, even the right secret waits.
  const clientKey = `oauth-client-auth:client:${presented.clientId.slice(0, 200)}`;
  const ipKey = `oauth-client-auth:ip:${request.ip}`;
  const secretHash = hashSecret(presented.secret);
  const recordUse = !((useRecordedUntil.get(secretHash) ?? 0) > Date.now());
  const result = await (recordUse ? issueRecordingUse : issueOnly)(db, {
    secretHash,
    expiresIn,
    requested: JSON.stringify(requested),
    clientId: presented.clientId,
    authMethod: presented.method,
    clientKey,
    ipKey,
    tokenHash: hashSecret(accessToken),
    ip: postgresSafe(request.ip),
  });
  const row = rowsOf<{ scopes: string[]; expires_in: number; fresh_seconds?: string | number }>(result)[0];
  if (!row) return null;
  if (recordUse) {
    useRecordedUntil.delete(secretHash);
    useRecordedUntil.set(secretHash, Date.now() + Number(row.fresh_seconds) * 1000);
  }
  return { accessToken, expiresIn: Number(row.expires_in), scopes: row.scopes };
}

// node-postgres and PGlite both answer { rows }, which drizzle types differently.
function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
