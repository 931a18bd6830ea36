import "server-only";
import { and, arrayOverlaps, asc, count, desc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections, flows, savedRequests, users } from "@/db/schema";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { type ConnectionSummary, escapeLike, summarizeConnection, usageLabel } from "./connections";
import { CONNECTION_OPTIONS_LIMIT, CONNECTIONS_PAGE_SIZE, type ConnectionListQuery, type ConnectionListSort, typesMatching } from "./list-query";
import type { ConnectionType } from "./schemas";

/**
 * One page of a team's connections for the Connections tab, and the few matches a connection picker
 * asks for. Both stay the same size whatever the team holds: the database filters, orders (natural name
 * order through the natural_sort_key index, migration 0012) and cuts the page; only that page's usage is
 * looked up.
 */

export interface ConnectionPage {
  items: ConnectionSummary[];
  /** Connections matching the filters, on every page. */
  total: number;
  /** The page shown (a page past the end shows the last one). */
  page: number;
  pageCount: number;
  pageSize: number;
}

const naturalName = sql`(natural_sort_key(${connections.name}) collate "C")`;

const ORDER: Record<ConnectionListSort, SQL[]> = {
  name: [asc(naturalName), asc(connections.id)],
  name_desc: [desc(naturalName), desc(connections.id)],
  newest: [desc(connections.createdAt), desc(connections.id)],
  // Credentials without an expiry date last, in name order.
  expiry: [sql`${connections.expiresAt} asc nulls last`, asc(naturalName), asc(connections.id)],
};

function matching(ctx: TeamContext, query: Pick<ConnectionListQuery, "q" | "status">): SQL | undefined {
  const q = query.q.trim();
  const types = typesMatching(q);
  return and(
    eq(connections.teamId, ctx.team.id),
    q ? or(ilike(connections.name, `%${escapeLike(q)}%`), types.length ? inArray(connections.type, types) : undefined) : undefined,
    query.status ? eq(connections.status, query.status) : undefined,
  );
}

export async function listConnectionPage(db: Executor, ctx: TeamContext, query: ConnectionListQuery): Promise<ConnectionPage> {
  requireRole(ctx, "member");
  const where = matching(ctx, query);
  const pageSize = CONNECTIONS_PAGE_SIZE;
  const fetchPage = (page: number) =>
    db
      .select({ row: connections, createdByName: users.name })
      .from(connections)
      .leftJoin(users, eq(users.id, connections.createdBy))
      .where(where)
      .orderBy(...ORDER[query.sort])
      .limit(pageSize)
      .offset((page - 1) * pageSize);
  const [[{ total }], first] = await Promise.all([db.select({ total: count() }).from(connections).where(where), fetchPage(query.page)]);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(query.page, pageCount);
  const rows = page === query.page ? first : await fetchPage(page);
  const usage = await usageOf(
    db,
    ctx,
    rows.map((r) => r.row.id),
  );
  return {
    items: rows.map(({ row, createdByName }) => summarizeConnection(row, createdByName, usage.get(row.id) ?? [])),
    total,
    page,
    pageCount,
    pageSize,
  };
}

/** What uses each of these connections (flows, then saved requests), by the flows' GIN index on connection_ids. */
async function usageOf(db: Executor, ctx: TeamContext, ids: string[]): Promise<Map<string, string[]>> {
  const usage = new Map<string, string[]>();
  if (!ids.length) return usage;
  const add = (connectionId: string, label: string) => usage.set(connectionId, [...(usage.get(connectionId) ?? []), label]);
  const [usingFlows, usingRequests] = await Promise.all([
    db
      .select({ name: flows.name, connectionIds: flows.connectionIds })
      .from(flows)
      .where(and(eq(flows.teamId, ctx.team.id), arrayOverlaps(flows.connectionIds, ids)))
      .orderBy(asc(sql`lower(${flows.name})`)),
    db
      .select({ connectionId: savedRequests.connectionId, name: savedRequests.name })
      .from(savedRequests)
      .where(and(eq(savedRequests.teamId, ctx.team.id), inArray(savedRequests.connectionId, ids)))
      .orderBy(asc(savedRequests.name)),
  ]);
  const wanted = new Set(ids);
  for (const f of usingFlows) for (const id of f.connectionIds) if (wanted.has(id)) add(id, usageLabel({ kind: "flow", name: f.name }));
  for (const r of usingRequests) if (r.connectionId) add(r.connectionId, usageLabel({ kind: "request", name: r.name }));
  return usage;
}

export type ConnectionOption = { id: string; name: string; type: ConnectionType };

/**
 * A picker's matches: by name or type, natural name order, at most CONNECTION_OPTIONS_LIMIT (`more`: there
 * are others, typing narrows them).
 */
export async function searchConnectionOptions(
  db: Executor,
  ctx: TeamContext,
  search: { q: string },
): Promise<{ options: ConnectionOption[]; more: boolean }> {
  requireRole(ctx, "member");
  const rows = await db
    .select({ id: connections.id, name: connections.name, type: connections.type })
    .from(connections)
    .where(matching(ctx, { q: search.q, status: undefined }))
    .orderBy(...ORDER.name)
    .limit(CONNECTION_OPTIONS_LIMIT + 1);
  return {
    options: rows.slice(0, CONNECTION_OPTIONS_LIMIT).map((r) => ({ ...r, type: r.type as ConnectionType })),
    more: rows.length > CONNECTION_OPTIONS_LIMIT,
  };
}

/** The names of these connections (a picker's chosen values), only the team's. */
export async function getConnectionOptions(db: Executor, ctx: TeamContext, ids: string[]): Promise<ConnectionOption[]> {
  requireRole(ctx, "member");
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (!valid.length) return [];
  const rows = await db
    .select({ id: connections.id, name: connections.name, type: connections.type })
    .from(connections)
    .where(and(eq(connections.teamId, ctx.team.id), inArray(connections.id, valid)));
  return rows.map((r) => ({ ...r, type: r.type as ConnectionType }));
}
