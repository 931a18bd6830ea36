import type { Executor } from "@/db";
import { auditEvents } from "@/db/schema";
import { postgresSafe } from "@/lib/storage/postgres-safe";
import { actorColumns, type Actor } from "@/lib/auth/actor";

export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "auth.sign_in_rate_limited"
  | "auth.sign_out"
  | "setup.completed"
  | "team.created"
  | "invitation.created"
  | "invitation.revoked"
  | "invitation.accepted"
  | "member.role_changed"
  | "member.removed"
  | (string & {});

export type AuditEntry = {
  teamId: string | null;
  actor: Actor;
  action: AuditAction;
  target?: { type: string; id: string };
  /** Never put a secret here: audit rows are shown to every team admin. */
  metadata?: Record<string, unknown>;
  ip?: string | null;
};

/** The one way to write the audit log; call it inside the transaction that made the change. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await auditInsert(db, entry);
}

type AuditInsert = typeof auditEvents.$inferInsert;

/** The columns an audit entry fills: a statement prepared once writes exactly these (auditRow). */
export const AUDIT_COLUMNS = [
  "teamId",
  "actorKind",
  "actorId",
  "actorLabel",
  "actorUserId",
  "action",
  "targetType",
  "targetId",
  "metadata",
  "ip",
] as const satisfies readonly (keyof AuditInsert)[];

/** An audit_events row with every column of AUDIT_COLUMNS present (null when empty). */
export type AuditRow = { [K in (typeof AUDIT_COLUMNS)[number]]-?: AuditInsert[K] };

/** The audit_events row of an entry. */
export function auditRow(entry: AuditEntry): AuditRow {
  return postgresSafe<AuditRow>({
    teamId: entry.teamId,
    ...actorColumns(entry.actor),
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    metadata: entry.metadata ?? {},
    ip: entry.ip ?? null,
  });
}

function auditInsert(db: Pick<Executor, "insert">, entry: AuditEntry) {
  return db.insert(auditEvents).values(auditRow(entry));
}

/** The common case: an event in the acting member's team, by that member. */
export async function recordTeamAudit(
  db: Executor,
  ctx: { team: { id: string }; principal: Actor; ip?: string | null },
  entry: Pick<AuditEntry, "action" | "target" | "metadata">,
): Promise<void> {
  await recordAudit(db, { ...entry, teamId: ctx.team.id, actor: ctx.principal, ip: ctx.ip });
}
