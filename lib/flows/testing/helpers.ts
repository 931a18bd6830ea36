import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { flowRuns, type FlowRunRow } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { createFlow } from "../flows";
import { flowDefinitionSchema, type FlowDefinitionInput } from "../model";

/** Test helpers for flows: build steps and flows, wait for runs. */

export function step(name: string, spec: Record<string, unknown>, extra: Partial<FlowDefinitionInput["steps"][number]> = {}) {
  return {
    name,
    spec: { method: "GET", headers: [], query: [], body: { type: "none" }, responseType: "json", timeoutSeconds: 20, ...spec },
    ...extra,
  };
}

export async function makeFlow(db: Database, ctx: TeamContext, def: Partial<FlowDefinitionInput> & Pick<FlowDefinitionInput, "steps">) {
  const parsed = flowDefinitionSchema.parse({ name: `Flow ${randomUUID().slice(0, 8)}`, ...def });
  return createFlow(db, ctx, parsed);
}

/** Polls the run row until its status is one of `statuses`. */
export async function waitForStatus(db: Database, runId: string, statuses: string[], timeoutMs = 30_000): Promise<FlowRunRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await db.select().from(flowRuns).where(eq(flowRuns.id, runId));
    if (run && statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} is ${run?.status ?? "missing"}, not ${statuses.join("/")}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A separate pg-boss schema per test file, so suites running side by side do not take each other's jobs. */
export function isolateQueue(label: string) {
  process.env.PLUGBOARD_JOBS_SCHEMA = `pgboss_test_${label}`;
}
