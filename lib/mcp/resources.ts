import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections, flowRuns, flows } from "@/db/schema";
import { describeActor } from "@/lib/auth/actor";
import type { TeamContext } from "@/lib/auth/team-context";
import { listRecentRuns } from "@/lib/requests";

/** How many connections and flow runs a resource lists (request runs: the history page's own limit). */
const RESOURCE_ROWS = 100;
const FLOW_RUNS = 25;

type McpResource = { name: string; title: string; description: string; read: (db: Executor, ctx: TeamContext) => Promise<unknown> };

/**
 * Read-only MCP resources of the team (resources/list, resources/read): what the app's pages show, never a
 * credential (connection rows are read column by column, the secret columns left out; run rows are stored masked).
 */
export const MCP_RESOURCES = {
  "plugboard://connections/health": {
    name: "connection-health",
    title: "Connection health",
    description: "The team's connections: status, last check and its message, token and credential expiry, check schedule.",
    read: async (db, ctx) => ({
      connections: await db
        .select({
          name: connections.name,
          type: connections.type,
          status: connections.status,
          lastVerifiedAt: connections.lastVerifiedAt,
          lastVerifyOk: connections.lastVerifyOk,
          lastVerifyMessage: connections.lastVerifyMessage,
          tokenExpiresAt: connections.tokenExpiresAt,
          credentialExpiresAt: connections.expiresAt,
          checkSchedule: connections.checkSchedule,
          nextCheckAt: connections.nextCheckAt,
        })
        .from(connections)
        .where(eq(connections.teamId, ctx.team.id))
        .orderBy(asc(sql`lower(${connections.name})`))
        .limit(RESOURCE_ROWS),
    }),
  },
  "plugboard://runs/recent": {
    name: "recent-runs",
    title: "Recent runs",
    description: "The team's latest request runs (method, URL, status, duration, connection) and flow runs (flow, trigger, status, error).",
    read: async (db, ctx) => ({
      requestRuns: (await listRecentRuns(db, ctx)).map(({ actor, ...run }) => ({ ...run, by: describeActor(actor) })),
      flowRuns: await db
        .select({
          id: flowRuns.id,
          flow: flows.name,
          trigger: flowRuns.trigger,
          status: flowRuns.status,
          error: flowRuns.error,
          createdAt: flowRuns.createdAt,
          durationMs: flowRuns.durationMs,
        })
        .from(flowRuns)
        .innerJoin(flows, and(eq(flows.id, flowRuns.flowId), eq(flows.teamId, ctx.team.id)))
        .where(eq(flowRuns.teamId, ctx.team.id))
        .orderBy(desc(flowRuns.createdAt))
        .limit(FLOW_RUNS),
    }),
  },
} satisfies Record<string, McpResource>;

export type McpResourceUri = keyof typeof MCP_RESOURCES;

export function isMcpResourceUri(uri: string): uri is McpResourceUri {
  return Object.hasOwn(MCP_RESOURCES, uri);
}
