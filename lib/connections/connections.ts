import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, ilike, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections, connectionTokenEvents, flows, oauthStates, savedRequests, users, type ConnectionRow } from "@/db/schema";
// Straight from the module, not lib/flows/index: flows import connections for their steps.
import { listFlowsUsingConnection } from "@/lib/flows/flows";
import { noteConnectionStatus } from "@/lib/alerts/connection-status";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { containsPattern } from "@/lib/storage/list-sql";
import { expiredStatusList, splitInput, type ConnectionSecrets, type StoredConfig } from "./config";
import type { ConnectionFormDefaults, ConnectionInput, ConnectionStatus, ConnectionType } from "./schemas";
import { sealConnectionSecrets } from "./secrets";
import { assertConnectionVariables, connectionUsesVariables } from "./connection-variables";
import { splitList } from "./types/common";
import { checkClientCertificate } from "./types/client-certificate";
import { COMMON_SECRET_FIELDS } from "./types/descriptor";
import { connectionType, tokensOf } from "./types/registry";
import { healthColumnsFor } from "@/lib/health/health-columns";
import type { HealthSchedule } from "@/lib/health/schedule";
import { preparedPerDatabase } from "@/lib/storage/prepared";

/**
 * Create, replace, delete and list a team's connections. Every query is filtered by ctx.team.id; what
 * these functions return never holds a secret.
 */

export interface ConnectionSummary {
  id: string;
  name: string;
  type: ConnectionType;
  status: ConnectionStatus;
  lastVerifiedAt: Date | null;
  lastVerifyOk: boolean | null;
  lastVerifyMessage: string | null;
  grantedScopes: string[] | null;
  tokenExpiresAt: Date | null;
  allowedHosts: string[];
  /** No typed allowed domains and a Test URL or Host with {{vars.NAME}}: those hosts count once filled in. */
  hostsFromVariables: boolean;
  createdByName: string | null;
  createdAt: Date;
  /** The flows and saved requests that use it, e.g. `flow “Sync CRM”`. */
  usedBy: string[];
  /** It holds an access token (shown: scopes, expiry, token timeline). */
  holdsToken: boolean;
  /** What Reauthorize does: a new consent in the browser, a new token now, or nothing for this type. */
  reauthorize: "consent" | "new_token" | null;
  /** Short facts from its type, e.g. Header: Authorization (Bearer). */
  details: Array<{ label: string; value: string }>;
  /** Watching it (lib/health): the effective schedules, their next slots, and the credential's expiry. */
  health: ConnectionHealth;
}

export interface ConnectionHealth {
  /** null: saved before health checks existed, resolved by the scheduler on its next pass. */
  checkSchedule: HealthSchedule | null;
  nextCheckAt: Date | null;
  keepAlive: HealthSchedule | null;
  nextKeepAliveAt: Date | null;
  expiresAt: Date | null;
}

const CONNECTION = "Connection";

export async function listConnections(db: Executor, ctx: TeamContext, search: { q?: string } = {}): Promise<ConnectionSummary[]> {
  requireRole(ctx, "member");
  const q = search.q?.trim();
  const rows = await db
    .select({ row: connections, createdByName: users.name })
    .from(connections)
    .leftJoin(users, eq(users.id, connections.createdBy))
    .where(and(eq(connections.teamId, ctx.team.id), q ? ilike(connections.name, containsPattern(q)) : undefined))
    .orderBy(asc(sql`lower(${connections.name})`));
  const usage = new Map<string, string[]>();
  const add = (connectionId: string, label: string) => usage.set(connectionId, [...(usage.get(connectionId) ?? []), label]);
  const teamFlows = await db
    .select({ name: flows.name, connectionIds: flows.connectionIds })
    .from(flows)
    .where(eq(flows.teamId, ctx.team.id))
    .orderBy(asc(sql`lower(${flows.name})`));
  for (const f of teamFlows) for (const id of f.connectionIds) add(id, usageLabel({ kind: "flow", name: f.name }));
  const requests = await db
    .select({ connectionId: savedRequests.connectionId, name: savedRequests.name })
    .from(savedRequests)
    .where(and(eq(savedRequests.teamId, ctx.team.id), isNotNull(savedRequests.connectionId)))
    .orderBy(asc(savedRequests.name));
  for (const r of requests) add(r.connectionId as string, usageLabel({ kind: "request", name: r.name }));
  return rows.map(({ row, createdByName }) => summarizeConnection(row, createdByName, usage.get(row.id) ?? []));
}

/** For pickers (request builder): id, name and type only. */
export async function listConnectionOptions(db: Executor, ctx: TeamContext): Promise<Array<{ id: string; name: string; type: ConnectionType }>> {
  requireRole(ctx, "member");
  const rows = await db
    .select({ id: connections.id, name: connections.name, type: connections.type })
    .from(connections)
    .where(eq(connections.teamId, ctx.team.id))
    .orderBy(asc(sql`lower(${connections.name})`));
  return rows.map((r) => ({ ...r, type: r.type as ConnectionType }));
}

export interface ConnectionDetail extends ConnectionSummary {
  /** Non-secret form values for the edit form; secret fields are absent and must be typed again. */
  formDefaults: ConnectionFormDefaults;
}

export async function getConnection(db: Executor, ctx: TeamContext, connectionId: string): Promise<ConnectionDetail> {
  requireRole(ctx, "member");
  const [found] = await db
    .select({ row: connections, createdByName: users.name })
    .from(connections)
    .leftJoin(users, eq(users.id, connections.createdBy))
    .where(and(eq(connections.id, connectionId), eq(connections.teamId, ctx.team.id)));
  if (!found) throw new NotFoundError(CONNECTION);
  const usage = await listConnectionUsage(db, ctx, connectionId);
  const { allowedHosts: _derived, ...stored } = found.row.config as StoredConfig;
  // The edit form's values: the stored settings over the type's defaults, every secret field empty (typed again).
  const { form } = connectionType(found.row.type);
  const emptySecrets = Object.fromEntries([...form.secretFields, ...COMMON_SECRET_FIELDS].map((f) => [f, ""]));
  const formDefaults = { ...form.defaults, ...stored, ...emptySecrets } as ConnectionFormDefaults;
  return { ...summarizeConnection(found.row, found.createdByName, usage.map(usageLabel)), formDefaults };
}

export type ConnectionUse = { kind: "flow" | "request"; name: string };

/** What uses the connection (flows, then saved requests), for the list, the edit warning and the delete confirmation. */
export async function listConnectionUsage(db: Executor, ctx: TeamContext, connectionId: string): Promise<ConnectionUse[]> {
  requireRole(ctx, "member");
  const usingFlows = await listFlowsUsingConnection(db, ctx, connectionId);
  const rows = await db
    .select({ name: savedRequests.name })
    .from(savedRequests)
    .where(and(eq(savedRequests.teamId, ctx.team.id), eq(savedRequests.connectionId, connectionId)))
    .orderBy(asc(savedRequests.name));
  return [...usingFlows.map((f) => ({ kind: "flow" as const, name: f.name })), ...rows.map((r) => ({ kind: "request" as const, name: r.name }))];
}

export function usageLabel(use: ConnectionUse): string {
  return `${use.kind === "flow" ? "flow" : "saved request"} “${use.name}”`;
}

/**
 * Creates a connection of any type but authorization code (which goes through consent). `lastVerify`: the
 * check that passed before saving (test on save, save-connection.ts), kept as the connection's status.
 */
export async function createConnection(
  db: Executor,
  ctx: TeamContext,
  input: ConnectionInput,
  lastVerify?: { at: Date; ok: true; message: string },
): Promise<{ id: string }> {
  requireRole(ctx, "member");
  if (connectionType(input.type).server.consent) throw new ServiceError("Authorization-code connections are created through the provider's consent.");
  assertClientCertificate(input);
  const id = randomUUID();
  const { config, secrets } = splitInput(input);
  return uniqueName(input.name, () =>
    db.transaction(async (tx) => {
      await assertNameFree(tx, ctx, input.name);
      await assertConnectionVariables(tx, ctx.team.id, input);
      await tx.insert(connections).values({
        id,
        teamId: ctx.team.id,
        name: input.name,
        type: input.type,
        config,
        ...sealConnectionSecrets(ctx.team.id, id, secrets),
        expiredStatuses: expiredStatusList(input),
        ...healthColumnsFor(id, input, config),
        createdBy: ctx.actor.id,
        ...(lastVerify && { status: "verified", lastVerifiedAt: lastVerify.at, lastVerifyOk: true, lastVerifyMessage: lastVerify.message }),
      });
      await audit(tx, ctx, "connection.created", { id, name: input.name, type: input.type });
      return { id };
    }),
  );
}

/**
 * Replaces a connection's settings and credentials wholesale, keeping its id (requests and flows refer to
 * it by id, so they use the new credentials at once). Token caches and verification results are reset.
 */
export async function replaceConnection(
  db: Executor,
  ctx: TeamContext,
  connectionId: string,
  input: ConnectionInput,
  extra: {
    secrets?: Partial<ConnectionSecrets>;
    tokenExpiresAt?: Date | null;
    tokenIssuedAt?: Date | null;
    grantedScopes?: string[] | null;
    status?: ConnectionStatus;
    lastVerify?: { at: Date; ok: boolean; message: string };
  } = {},
  action: "connection.updated" | "connection.reauthorized" = "connection.updated",
): Promise<{ id: string; name: string }> {
  requireRole(ctx, "member");
  assertClientCertificate(input);
  const { config, secrets } = splitInput(input);
  return uniqueName(input.name, () =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .select({ id: connections.id })
        .from(connections)
        .where(and(eq(connections.id, connectionId), eq(connections.teamId, ctx.team.id)))
        .for("update");
      if (!row) throw new NotFoundError(CONNECTION);
      await assertNameFree(tx, ctx, input.name, connectionId);
      await assertConnectionVariables(tx, ctx.team.id, input);
      await tx
        .update(connections)
        .set({
          name: input.name,
          type: input.type,
          config,
          ...sealConnectionSecrets(ctx.team.id, connectionId, { ...secrets, ...extra.secrets }),
          expiredStatuses: expiredStatusList(input),
          ...healthColumnsFor(connectionId, input, config),
          status: extra.status ?? "never_verified",
          lastVerifiedAt: extra.lastVerify?.at ?? null,
          lastVerifyOk: extra.lastVerify?.ok ?? null,
          lastVerifyMessage: extra.lastVerify?.message ?? null,
          grantedScopes: extra.grantedScopes ?? null,
          tokenExpiresAt: extra.tokenExpiresAt ?? null,
          tokenIssuedAt: extra.tokenIssuedAt ?? null,
          // New credentials: a refresh still running on the old ones must not overwrite them (see refresh-lease.ts).
          tokenVersion: sql`${connections.tokenVersion} + 1`,
          refreshLeaseHolder: null,
          refreshLeaseExpiresAt: null,
          refreshFailure: null,
          updatedAt: new Date(),
        })
        .where(and(eq(connections.id, connectionId), eq(connections.teamId, ctx.team.id)));
      await audit(tx, ctx, action, { id: connectionId, name: input.name, type: input.type });
      return { id: connectionId, name: input.name };
    }),
  ).then(async (saved) => {
    // Reauthorized or saved after a passing check: a connection that was failing is resolved (lib/alerts).
    if (extra.status === "verified") await noteConnectionStatus(db, connectionId);
    return saved;
  });
}

/** Deletes the connection and with it its stored secrets, token timeline and pending consents. */
export async function deleteConnection(db: Executor, ctx: TeamContext, connectionId: string): Promise<void> {
  requireRole(ctx, "member");
  await db.transaction(async (tx) => {
    await tx.delete(oauthStates).where(and(eq(oauthStates.connectionId, connectionId), eq(oauthStates.teamId, ctx.team.id)));
    const [gone] = await tx
      .delete(connections)
      .where(and(eq(connections.id, connectionId), eq(connections.teamId, ctx.team.id)))
      .returning({ name: connections.name, type: connections.type });
    if (!gone) throw new NotFoundError(CONNECTION);
    await audit(tx, ctx, "connection.deleted", { id: connectionId, name: gone.name, type: gone.type });
  });
}

export async function listTokenEvents(db: Executor, ctx: TeamContext, connectionId: string, limit = 50) {
  requireRole(ctx, "member");
  return db
    .select({
      id: connectionTokenEvents.id,
      kind: connectionTokenEvents.kind,
      message: connectionTokenEvents.message,
      expiresAt: connectionTokenEvents.expiresAt,
      attempts: connectionTokenEvents.attempts,
      createdAt: connectionTokenEvents.createdAt,
    })
    .from(connectionTokenEvents)
    .where(and(eq(connectionTokenEvents.connectionId, connectionId), eq(connectionTokenEvents.teamId, ctx.team.id)))
    .orderBy(desc(connectionTokenEvents.createdAt), desc(connectionTokenEvents.id))
    .limit(limit);
}

/** The team's row, or NotFound: the one way services in this package load a connection. */
export async function loadConnectionRow(db: Executor, ctx: TeamContext, connectionId: string): Promise<ConnectionRow> {
  requireRole(ctx, "member");
  if (!/^[0-9a-f-]{36}$/i.test(connectionId)) throw new NotFoundError(CONNECTION);
  const [row] = await connectionRowLookup(db).execute({ connectionId, teamId: ctx.team.id });
  if (!row) throw new NotFoundError(CONNECTION);
  return row;
}

/** Every run with a connection reads its row: built once per database handle. */
const connectionRowLookup = preparedPerDatabase((db) =>
  db
    .select()
    .from(connections)
    .where(and(eq(connections.id, sql.placeholder("connectionId")), eq(connections.teamId, sql.placeholder("teamId"))))
    .prepare("connection_row_lookup"),
);

export async function assertNameFree(db: Executor, ctx: TeamContext, name: string, exceptId?: string): Promise<void> {
  const [taken] = await db
    .select({ id: connections.id })
    .from(connections)
    .where(and(eq(connections.teamId, ctx.team.id), sql`lower(${connections.name}) = lower(${name})`));
  if (taken && taken.id !== exceptId) throw nameTaken(name);
}

export function audit(
  db: Executor,
  ctx: TeamContext,
  action: string,
  target: { id: string; name: string; type: string },
  extra: Record<string, unknown> = {},
) {
  return recordAudit(db, {
    teamId: ctx.team.id,
    actor: ctx.principal,
    action,
    target: { type: "connection", id: target.id },
    metadata: { name: target.name, type: target.type, ...extra },
    ip: ctx.ip,
  });
}

/** The columns a summary is made of: what a list selects instead of the whole row (whose secrets it never shows). */
export const summaryColumns = {
  id: connections.id,
  name: connections.name,
  type: connections.type,
  config: connections.config,
  status: connections.status,
  lastVerifiedAt: connections.lastVerifiedAt,
  lastVerifyOk: connections.lastVerifyOk,
  lastVerifyMessage: connections.lastVerifyMessage,
  grantedScopes: connections.grantedScopes,
  tokenExpiresAt: connections.tokenExpiresAt,
  createdBy: connections.createdBy,
  createdAt: connections.createdAt,
  checkSchedule: connections.checkSchedule,
  nextCheckAt: connections.nextCheckAt,
  keepAlive: connections.keepAlive,
  nextKeepAliveAt: connections.nextKeepAliveAt,
  expiresAt: connections.expiresAt,
} satisfies { [K in keyof ConnectionRow]?: (typeof connections)[K] };
export type SummaryRow = Pick<ConnectionRow, keyof typeof summaryColumns>;

/** A row as the list and the detail page show it (no secret). */
export function summarizeConnection(row: SummaryRow, createdByName: string | null, usedBy: string[]): ConnectionSummary {
  const { server } = connectionType(row.type);
  const config = row.config as StoredConfig;
  return {
    id: row.id,
    name: row.name,
    type: row.type as ConnectionType,
    status: row.status as ConnectionStatus,
    lastVerifiedAt: row.lastVerifiedAt,
    lastVerifyOk: row.lastVerifyOk,
    lastVerifyMessage: row.lastVerifyMessage,
    grantedScopes: row.grantedScopes,
    tokenExpiresAt: row.tokenExpiresAt,
    allowedHosts: config.allowedHosts ?? [],
    hostsFromVariables: connectionUsesVariables(config) && splitList(config.allowedDomains ?? "").length === 0,
    createdByName,
    createdAt: row.createdAt,
    usedBy,
    holdsToken: tokensOf(config) !== undefined,
    reauthorize: server.consent ? "consent" : tokensOf(config)?.renewal === "grant" ? "new_token" : null,
    details: server.summary(config),
    health: {
      checkSchedule: row.checkSchedule as HealthSchedule | null,
      nextCheckAt: row.nextCheckAt,
      keepAlive: row.keepAlive as HealthSchedule | null,
      nextKeepAliveAt: row.nextKeepAliveAt,
      expiresAt: row.expiresAt,
    },
  };
}

/** A client certificate that would not open (wrong passphrase, key not matching, expired) is refused at its field. */
export function assertClientCertificate(input: ConnectionInput): void {
  const errors = checkClientCertificate(input);
  const fields = Object.keys(errors);
  if (fields.length) throw new ServiceError(Object.values(errors)[0] ?? "The client certificate cannot be used.", "invalid", errors);
}

function nameTaken(name: string): ServiceError {
  return new ServiceError(`A connection named "${name}" already exists in this team.`, "conflict", {
    name: "Choose another name: this one is taken.",
  });
}

// Two saves racing past assertNameFree meet the unique index; report that the same way.
async function uniqueName<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (code === "23505") throw nameTaken(name);
    throw err;
  }
}
