import "server-only";
import { and, asc, count, eq, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { attentionDismissals, connections, memberships, users } from "@/db/schema";
import { hasRole, requireRole, type TeamContext } from "@/lib/auth/team-context";
import { summarizeConnection, type ConnectionSummary } from "@/lib/connections/connections";
import { type AttentionAdvice, type AttentionReason, attentionAdvice, attentionReasons, problemKey } from "./attention";
import { EXPIRY_ATTENTION_DAYS } from "./expiry";

/**
 * The Needs attention view, its count in the navigation and the banner: a team's connections that need
 * reauthorization, were imported without their credentials, failed their last check, or whose credential
 * expires within 14 days.
 */

export const ATTENTION_PAGE_SIZE = 20;
/** The banner compares at most this many problems (a team with more has the view for the rest). */
const BANNER_PROBLEMS_MAX = 500;
const DAY_MS = 86_400_000;

function needsAttention(ctx: TeamContext, now: Date) {
  return and(
    eq(connections.teamId, ctx.team.id),
    or(
      inArray(connections.status, ["failed", "needs_reauthorization", "needs_credentials"]),
      and(isNotNull(connections.expiresAt), lte(connections.expiresAt, new Date(now.getTime() + EXPIRY_ATTENTION_DAYS * DAY_MS))),
    ),
  );
}

export async function countNeedsAttention(db: Executor, ctx: TeamContext, now = new Date()): Promise<number> {
  requireRole(ctx, "member");
  const [{ n }] = await db.select({ n: count() }).from(connections).where(needsAttention(ctx, now));
  return n;
}

export interface AttentionItem {
  connection: ConnectionSummary;
  problems: Array<{ reason: AttentionReason } & AttentionAdvice>;
}

export interface AttentionPage {
  items: AttentionItem[];
  total: number;
  page: number;
  pageCount: number;
}

export async function listNeedsAttention(db: Executor, ctx: TeamContext, options: { page?: number; now?: Date } = {}): Promise<AttentionPage> {
  requireRole(ctx, "member");
  const now = options.now ?? new Date();
  const total = await countNeedsAttention(db, ctx, now);
  const pageCount = Math.max(1, Math.ceil(total / ATTENTION_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  const rows = await db
    .select({ row: connections, createdByName: users.name, creatorRole: memberships.role })
    .from(connections)
    .leftJoin(users, eq(users.id, connections.createdBy))
    .leftJoin(memberships, and(eq(memberships.teamId, connections.teamId), eq(memberships.userId, connections.createdBy)))
    .where(needsAttention(ctx, now))
    // Most urgent first: refused grants and missing credentials, failed checks, then the nearest expiry.
    .orderBy(
      sql`case ${connections.status} when 'needs_reauthorization' then 0 when 'needs_credentials' then 0 when 'failed' then 1 else 2 end`,
      sql`${connections.expiresAt} asc nulls last`,
      asc(sql`lower(${connections.name})`),
      asc(connections.id),
    )
    .limit(ATTENTION_PAGE_SIZE)
    .offset((page - 1) * ATTENTION_PAGE_SIZE);
  const admins = hasRole(ctx, "admin") ? [] : await teamAdminNames(db, ctx);
  const items = rows.map(({ row, createdByName, creatorRole }) => {
    const connection = summarizeConnection(row, createdByName, []);
    const viewer = { isCreator: row.createdBy === ctx.actor.id, isAdmin: hasRole(ctx, "admin"), adminNames: admins };
    // Someone who left the team cannot be asked: the advice names the admins instead.
    const facts = { ...connection, createdByName: creatorRole ? createdByName : null };
    const problems = attentionReasons(connection, now).map((reason) => ({ reason, ...attentionAdvice(reason, facts, viewer, now) }));
    return { connection, problems };
  });
  return { items, total, page, pageCount };
}

async function teamAdminNames(db: Executor, ctx: TeamContext): Promise<string[]> {
  const rows = await db
    .select({ name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, ctx.team.id), eq(memberships.role, "admin")))
    .orderBy(asc(users.name))
    .limit(5);
  return rows.map((r) => r.name || r.email);
}

async function currentProblemKeys(db: Executor, ctx: TeamContext, now: Date): Promise<string[]> {
  const rows = await db
    .select({ id: connections.id, status: connections.status, expiresAt: connections.expiresAt })
    .from(connections)
    .where(needsAttention(ctx, now))
    .limit(BANNER_PROBLEMS_MAX);
  return rows.flatMap((r) => problemKeysOf(r, now));
}

function problemKeysOf(r: { id: string; status: string; expiresAt: Date | null }, now: Date): string[] {
  return attentionReasons({ status: r.status, health: { expiresAt: r.expiresAt } }, now).map((reason) => problemKey(r.id, reason));
}

/** A current problem as the summary's JSON holds it: id, status, expiry (ISO text). */
type ProblemTuple = [string, string, string | null];

export interface AttentionSummary {
  /** Connections needing attention (the navigation's count). */
  count: number;
  /** The banner for this user: shown unless every current problem was dismissed. */
  banner: { show: boolean; count: number };
}

/**
 * The navigation's count and this user's banner in one round trip, for the layout of every page: the
 * count, the user's dismissed problems and, when there are some, the current ones to compare (at most
 * BANNER_PROBLEMS_MAX, as one JSON value rather than a row each) come back as a single row; the reasons are
 * worked out here, by attentionReasons.
 */
export async function attentionSummary(db: Executor, ctx: TeamContext, now = new Date()): Promise<AttentionSummary> {
  requireRole(ctx, "member");
  const problems = db
    .select({ id: connections.id, status: connections.status, expiresAt: connections.expiresAt })
    .from(connections)
    .where(needsAttention(ctx, now))
    .limit(BANNER_PROBLEMS_MAX)
    .as("problems");
  const mine = and(eq(attentionDismissals.userId, ctx.actor.id), eq(attentionDismissals.teamId, ctx.team.id));
  const [row] = await db
    .select({
      count: sql<number>`(select count(*) from ${connections} where ${needsAttention(ctx, now)})`.mapWith(Number),
      dismissed: sql<string[] | null>`(select ${attentionDismissals.problemKeys} from ${attentionDismissals} where ${mine})`,
      // Read only to compare with a dismissal (null without one, or without problems).
      problems: sql<
        ProblemTuple[] | null
      >`(select json_agg(json_build_array(${problems.id}, ${problems.status}, ${problems.expiresAt})) from ${problems}
        where exists (select 1 from ${attentionDismissals} where ${mine}))`,
    })
    .from(sql`(select 1) as one`);
  // Every connection needsAttention finds has a reason (the query and attentionReasons draw the same lines):
  // with nothing dismissed, the banner shows whenever the count is not zero.
  if (row.dismissed === null) return { count: row.count, banner: { show: row.count > 0, count: Math.min(row.count, BANNER_PROBLEMS_MAX) } };
  const keys = (row.problems ?? []).flatMap(([id, status, expiresAt]) =>
    problemKeysOf({ id, status, expiresAt: expiresAt === null ? null : new Date(expiresAt) }, now),
  );
  return { count: row.count, banner: bannerFor(keys, row.dismissed) };
}

/** The banner for this user: the number of connections needing attention, shown unless every current problem was dismissed. */
export async function attentionBanner(db: Executor, ctx: TeamContext, now = new Date()): Promise<{ show: boolean; count: number }> {
  return (await attentionSummary(db, ctx, now)).banner;
}

function bannerFor(keys: string[], dismissed: string[]): { show: boolean; count: number } {
  if (!keys.length) return { show: false, count: 0 };
  const seen = new Set(dismissed);
  const count = new Set(keys.map((k) => k.split(":")[0])).size;
  return { show: keys.some((k) => !seen.has(k)), count };
}

/** Hides the banner for this user until a problem appears that is not among today's. */
export async function dismissAttentionBanner(db: Executor, ctx: TeamContext, now = new Date()): Promise<void> {
  requireRole(ctx, "member");
  const keys = await currentProblemKeys(db, ctx, now);
  await db
    .insert(attentionDismissals)
    .values({ userId: ctx.actor.id, teamId: ctx.team.id, problemKeys: keys, dismissedAt: now })
    .onConflictDoUpdate({ target: [attentionDismissals.userId, attentionDismissals.teamId], set: { problemKeys: keys, dismissedAt: now } });
}
