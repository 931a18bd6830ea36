import "server-only";
import { asc, count, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { mcpTools } from "@/db/schema";

/** How many tools the consent screen names; more are counted. */
export const CONSENT_TOOLS_SHOWN = 25;

/**
 * The team's tools as the consent screen words them for people (each tool's consent wording), for the team
 * an MCP client belongs to or is about to join. Read by /oauth2/authorize before any team context exists:
 * the page checked that the user is a member of `teamId`.
 */
export async function toolsForConsent(db: Executor, teamId: string) {
  const [tools, [total]] = await Promise.all([
    db
      .select({ name: mcpTools.name, consentText: mcpTools.consentText })
      .from(mcpTools)
      .where(eq(mcpTools.teamId, teamId))
      .orderBy(asc(mcpTools.name))
      .limit(CONSENT_TOOLS_SHOWN),
    db.select({ n: count() }).from(mcpTools).where(eq(mcpTools.teamId, teamId)),
  ]);
  return { tools, more: Math.max(0, total.n - tools.length) };
}
