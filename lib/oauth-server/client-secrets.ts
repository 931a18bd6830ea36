import "server-only";
import { assertEditableByHand } from "./system-clients";
import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { oauthClients, oauthClientSecrets, type OAuthClientRow, type OAuthClientSecretRow } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { LAST_USED_RESOLUTION_SECONDS, maxActiveClientSecrets, secretLifetimeDays } from "./config";
import { hashSecret, randomSecret } from "./secrets";

/**
 * The secrets of an application. Several can be active at once (up to maxActiveClientSecrets) so an
 * integration switches to a new one while the old one still works, and the old one is then revoked.
 */

/** What the list shows of a secret: never its hash. */
export type ClientSecretView = {
  id: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** A secret is active while it is neither revoked nor expired. */
export function isSecretActive(secret: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): boolean {
  return !secret.revokedAt && (!secret.expiresAt || secret.expiresAt > now);
}

const activeWhere = () =>
  and(isNull(oauthClientSecrets.revokedAt), or(isNull(oauthClientSecrets.expiresAt), gt(oauthClientSecrets.expiresAt, sql`now()`)));

/** Inserts a new secret for the client with the client's lifetime; returns the raw value, which is never stored. */
export async function insertClientSecret(
  tx: Executor,
  client: Pick<OAuthClientRow, "id" | "secretLifetimeDays">,
  createdBy: string | null,
): Promise<{ id: string; secret: string; createdAt: Date; expiresAt: Date | null }> {
  const secret = randomSecret("pbs");
  const days = secretLifetimeDays(client);
  const expiresAt = days ? new Date(Date.now() + days * 86_400_000) : null;
  const [row] = await tx
    .insert(oauthClientSecrets)
    .values({ clientId: client.id, secretHash: hashSecret(secret), createdBy, expiresAt })
    .returning({ id: oauthClientSecrets.id, createdAt: oauthClientSecrets.createdAt });
  return { id: row.id, secret, createdAt: row.createdAt, expiresAt };
}

/** The client's secret whose hash matches the presented value, whatever its state (callers check it). */
export async function findClientSecret(db: Executor, clientRowId: string, presented: string): Promise<OAuthClientSecretRow | null> {
  const [row] = await db
    .select()
    .from(oauthClientSecrets)
    .where(and(eq(oauthClientSecrets.clientId, clientRowId), eq(oauthClientSecrets.secretHash, hashSecret(presented))));
  return row ?? null;
}

/**
 * Records a secret's use at most once per LAST_USED_RESOLUTION_SECONDS, never waiting on another
 * request's row lock (the same reasoning as last-used.ts).
 */
export function markSecretsUsed(secretIds: ReturnType<typeof sql>) {
  return sql`update ${oauthClientSecrets} set last_used_at = now() where ${oauthClientSecrets.id} in (
    select ${oauthClientSecrets.id} from ${oauthClientSecrets}
    where ${oauthClientSecrets.id} in (${secretIds})
      and (${oauthClientSecrets.lastUsedAt} is null or ${oauthClientSecrets.lastUsedAt} < now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))
    for no key update skip locked)`;
}

/**
 * The team's customer-configured client, locked for the change (two concurrent adds could both pass the
 * count otherwise). NO KEY UPDATE: token inserts (whose foreign-key check takes KEY SHARE) do not wait.
 */
async function lockedTeamClient(tx: Executor, ctx: TeamContext, applicationId: string) {
  const [row] = await tx
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.id, applicationId), eq(oauthClients.teamId, ctx.team.id)))
    .for("no key update");
  if (!row) throw new NotFoundError("That application");
  assertEditableByHand(ctx, row);
  return row;
}

/** Every secret of a team's application, newest first. */
export async function listClientSecrets(db: Executor, ctx: TeamContext, applicationId: string): Promise<ClientSecretView[]> {
  const rows = await listTeamClientSecrets(db, ctx, applicationId);
  return rows.map(({ applicationId: _, ...secret }) => secret);
}

/** Adds a secret beside the active ones (shown once), refused when the application has the most allowed. */
export async function addClientSecret(db: Database, ctx: TeamContext, applicationId: string) {
  requireRole(ctx, "admin");
  return db.transaction(async (tx) => {
    const client = await lockedTeamClient(tx, ctx, applicationId);
    const active = await tx
      .select({ id: oauthClientSecrets.id })
      .from(oauthClientSecrets)
      .where(and(eq(oauthClientSecrets.clientId, client.id), activeWhere()));
    const max = maxActiveClientSecrets();
    if (active.length >= max) {
      throw new ServiceError(`${client.name} already has ${active.length} active secrets, the most allowed (${max}). Revoke one first.`, "conflict");
    }
    const created = await insertClientSecret(tx, client, ctx.actor.id);
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_secret_added",
      target: { type: "oauth_client", id: client.id },
      metadata: { name: client.name, clientId: client.clientId, secretId: created.id, expiresAt: created.expiresAt?.toISOString() ?? null },
    });
    return { client, ...created };
  });
}

/** Revokes one secret at once; the application's last active secret cannot be revoked this way. */
export async function revokeClientSecret(db: Database, ctx: TeamContext, applicationId: string, secretId: string): Promise<void> {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    const client = await lockedTeamClient(tx, ctx, applicationId);
    const active = await tx
      .select({ id: oauthClientSecrets.id })
      .from(oauthClientSecrets)
      .where(and(eq(oauthClientSecrets.clientId, client.id), activeWhere()));
    const [secret] = await tx
      .select()
      .from(oauthClientSecrets)
      .where(and(eq(oauthClientSecrets.id, secretId), eq(oauthClientSecrets.clientId, client.id)));
    if (!secret) throw new NotFoundError("That secret");
    if (secret.revokedAt) return;
    if (active.length === 1 && active[0].id === secret.id) {
      throw new ServiceError("This is the application's only active secret. Add another one first, or regenerate the secret.", "conflict");
    }
    await tx.update(oauthClientSecrets).set({ revokedAt: new Date() }).where(eq(oauthClientSecrets.id, secret.id));
    await recordTeamAudit(tx, ctx, {
      action: "oauth.client_secret_revoked",
      target: { type: "oauth_client", id: client.id },
      metadata: { name: client.name, clientId: client.clientId, secretId: secret.id },
    });
  });
}

/** Revokes every active secret of the client (regenerate: "replace now"); returns how many. */
export async function revokeAllClientSecrets(tx: Executor, clientRowId: string): Promise<number> {
  const rows = await tx
    .update(oauthClientSecrets)
    .set({ revokedAt: new Date() })
    .where(and(eq(oauthClientSecrets.clientId, clientRowId), isNull(oauthClientSecrets.revokedAt)))
    .returning({ id: oauthClientSecrets.id });
  return rows.length;
}

/** Every secret of every application of the team (for the Applications page), or of one, newest first. */
export async function listTeamClientSecrets(
  db: Executor,
  ctx: TeamContext,
  applicationId?: string,
): Promise<(ClientSecretView & { applicationId: string })[]> {
  requireRole(ctx, "admin");
  return db
    .select({
      applicationId: oauthClientSecrets.clientId,
      id: oauthClientSecrets.id,
      createdAt: oauthClientSecrets.createdAt,
      expiresAt: oauthClientSecrets.expiresAt,
      lastUsedAt: oauthClientSecrets.lastUsedAt,
      revokedAt: oauthClientSecrets.revokedAt,
    })
    .from(oauthClientSecrets)
    .innerJoin(oauthClients, eq(oauthClients.id, oauthClientSecrets.clientId))
    .where(and(eq(oauthClients.teamId, ctx.team.id), applicationId ? eq(oauthClientSecrets.clientId, applicationId) : undefined))
    .orderBy(desc(oauthClientSecrets.createdAt));
}
