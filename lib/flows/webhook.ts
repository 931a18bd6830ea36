import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { flows, teams } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { constantTimeEqual, sha256Hex } from "@/lib/crypto/tokens";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { systemContext } from "./flows";
import { startFlowRun } from "./runs";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A webhook POST: the flow is found by id, the token checked against the stored hash in constant time,
 * and a run queued as the system ("webhook") in the flow's team, with the JSON body as input. The body is
 * read (`readInput`) only once the token is known good, so an anonymous caller cannot make us read it.
 */
export async function startWebhookRun(
  db: Database,
  flowId: string,
  token: string | null,
  readInput: () => Promise<unknown>,
): Promise<{ runId: string; ctx: TeamContext; waitForResult: boolean }> {
  if (!UUID.test(flowId)) throw new NotFoundError("That flow");
  const [row] = await db
    .select({ flow: flows, teamName: teams.name })
    .from(flows)
    .innerJoin(teams, eq(teams.id, flows.teamId))
    .where(eq(flows.id, flowId));
  if (!row?.flow.webhookTokenHash) throw new NotFoundError("That flow");
  if (!token || !constantTimeEqual(sha256Hex(token), row.flow.webhookTokenHash)) {
    throw new ServiceError("The webhook token is missing or wrong.", "unauthenticated");
  }
  if (!row.flow.active) throw new ServiceError("This flow is inactive; activate it to accept webhooks.", "conflict");
  const input = await readInput();
  if (!input || typeof input !== "object" || Array.isArray(input)) throw new ServiceError("The request body must be a JSON object.", "invalid");
  const ctx = systemContext({ id: row.flow.teamId, name: row.teamName }, { kind: "webhook", flowId: row.flow.id });
  const run = await startFlowRun(db, ctx, { flowId, input: input as Record<string, unknown>, trigger: "webhook" });
  if (!run) throw new ServiceError("The run could not be started.");
  return { runId: run.runId, ctx, waitForResult: row.flow.webhookWaitForResult };
}
