import "server-only";
import { and, asc, count, desc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections, flows, savedRequests, users } from "@/db/schema";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { containsPattern, cutPage, type ListPage, naturalOrder } from "@/lib/storage/list-sql";
import { type ConnectionSummary, summarizeConnection, summaryColumns, usageLabel } from "./connections";
import { CONNECTION_OPTIONS_LIMIT, CONNECTIONS_PAGE_SIZE, type ConnectionListQuery, type ConnectionListSort, typesMatching } from "./list-query";
import type { ConnectionType } from "./schemas";

/**
 * One page of a team's connections for the Connections tab, and the few matches a connection picker
 * asks for. Both stay the same size whatever the team holds: the database filters, orders (natural name
 * order through the name_sort_key index, migrations 0012 and 0031) and cuts the page; only that page's usage is
 * looked up, in the same query.
 */

export type ConnectionPage = ListPage<ConnectionSummary>;

const naturalName = naturalOrder(connections.nameSortKey);

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
    q ? or(ilike(connections.name, containsPattern(q)), types.length ? inArray(connections.type, types) : undefined) : undefined,
    query.status ? eq(connections.status, query.status) : undefined,
  );
}

export async function listConnectionPage(db: Executor, ctx: TeamContext, query: ConnectionListQuery): Promise<ConnectionPage> {
  requireRole(ctx, "member");
  const where = matching(ctx, query);
  const { rows, ...counts } = await cutPage(query.page, CONNECTIONS_PAGE_SIZE, {
    count: async () => (await db.select({ total: count() }).from(connections).where(where))[0].total,
    rows: (page) => pageRows(db, ctx, where, query.sort, page),
  });
  return {
    items: rows.map(({ flowNames, requestNames, createdByName, ...row }) =>
      summarizeConnection(row, createdByName, [
        ...(flowNames ?? []).map((name) => usageLabel({ kind: "flow", name })),
        ...(requestNames ?? []).map((name) => usageLabel({ kind: "request", name })),
      ]),
    ),
    ...counts,
  };
}

/**
 * One page of rows with what uses each (flows, then saved requests, in name order), in one round trip: the
 * page is cut first (a subquery), so the uses are looked up for its rows only, by the flows' GIN index on
 * connection_ids and saved_requests_connection_idx. Only the columns a summary shows are read (no secrets).
 */
function pageRows(db: Executor, ctx: TeamContext, where: SQL | undefined, sort: ConnectionListSort, page: number) {
  const pageSize = CONNECTIONS_PAGE_SIZE;
  const cut = db
    .select({ ...summaryColumns, rank: sql<number>`row_number() over (order by ${sql.join(ORDER[sort], sql`, `)})`.as("rank") })
    .from(connections)
    .where(where)
    .orderBy(...ORDER[sort])
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .as("page");
  const flowUse = db
    .select({ flowNames: sql<string[] | null>`array_agg(${flows.name} order by lower(${flows.name}))`.as("flow_names") })
    .from(flows)
    .where(and(eq(flows.teamId, ctx.team.id), sql`${flows.connectionIds} @> array[${cut.id}::text]`))
    .as("flow_use");
  const requestUse = db
    .select({ requestNames: sql<string[] | null>`array_agg(${savedRequests.name} order by ${savedRequests.name})`.as("request_names") })
    .from(savedRequests)
    .where(and(eq(savedRequests.teamId, ctx.team.id), eq(savedRequests.connectionId, cut.id)))
    .as("request_use");
  const columns = Object.fromEntries(Object.keys(summaryColumns).map((k) => [k, cut[k as keyof typeof summaryColumns]])) as {
    [K in keyof typeof summaryColumns]: (typeof cut)[K];
  };
  return db
    .select({ ...columns, createdByName: users.name, flowNames: flowUse.flowNames, requestNames: requestUse.requestNames })
    .from(cut)
    .leftJoin(users, eq(users.id, cut.createdBy))
    .leftJoinLateral(flowUse, sql`true`)
    .leftJoinLateral(requestUse, sql`true`)
    .orderBy(cut.rank);
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
