import { and, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { allOf, anyOf } from "@/db/conditions";
import { auditEvents, memberships } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { requireRole } from "@/lib/auth/team-context";

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = { action?: string; actorUserId?: string; page?: number };

/**
 * A team's audit log: its own events plus the account events (sign-ins) of its current members,
 * newest first.
 */
export async function listAuditEvents(db: Executor, ctx: TeamContext, filter: AuditFilter) {
  requireRole(ctx, "admin");
  const page = Math.max(1, filter.page ?? 1);
  const memberIds = db.select({ id: memberships.userId }).from(memberships).where(eq(memberships.teamId, ctx.team.id));
  const conditions: SQL[] = [
    anyOf(eq(auditEvents.teamId, ctx.team.id), allOf(isNull(auditEvents.teamId), inArray(auditEvents.actorUserId, memberIds))),
  ];
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  if (filter.actorUserId) conditions.push(eq(auditEvents.actorUserId, filter.actorUserId));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  return { events: rows.slice(0, AUDIT_PAGE_SIZE), page, hasNext: rows.length > AUDIT_PAGE_SIZE };
}

export async function listAuditActions(db: Executor, ctx: TeamContext): Promise<string[]> {
  requireRole(ctx, "admin");
  const rows = await db.selectDistinct({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.teamId, ctx.team.id)).orderBy(sql`1`);
  return [...new Set([...rows.map((r) => r.action), "auth.sign_in", "auth.sign_in_failed"])].sort();
}
