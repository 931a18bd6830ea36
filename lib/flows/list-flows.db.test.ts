import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { flowRuns, flows } from "@/db/schema";
import { actorColumns } from "@/lib/auth/actor";
import { makeTeamContext } from "@/lib/testing/factories";
import { listFlowPage, listFlows } from "./index";
import { FLOWS_PAGE_SIZE, type FlowListQuery, flowListHref, parseFlowListQuery } from "./list-query";

const query = (q: Partial<FlowListQuery> = {}): FlowListQuery => ({ q: "", page: 1, ...q });

async function seededTeam(names: string[]) {
  const db = await getDb();
  const ctx = await makeTeamContext();
  const rows = names.length
    ? await db
        .insert(flows)
        .values(names.map((name) => ({ teamId: ctx.team.id, name })))
        .returning({ id: flows.id, name: flows.name })
    : [];
  return { db, ctx, rows };
}

describe("the Flows list's page query", () => {
  it("orders names naturally (numbers by value, case ignored)", async () => {
    const { db, ctx } = await seededTeam(["sync 10", "Sync 2", "sync 1", "alpha", "Beta 100", "beta 20"]);
    const page = await listFlowPage(db, ctx, query());
    expect(page.items.map((f) => f.name)).toEqual(["alpha", "beta 20", "Beta 100", "sync 1", "Sync 2", "sync 10"]);
  });

  it("cuts pages of FLOWS_PAGE_SIZE, clamps a page past the end, and counts the whole match", async () => {
    const names = Array.from({ length: FLOWS_PAGE_SIZE + 3 }, (_, i) => `flow ${i + 1}`);
    const { db, ctx } = await seededTeam(names);
    const first = await listFlowPage(db, ctx, query());
    expect(first).toMatchObject({ total: names.length, page: 1, pageCount: 2, pageSize: FLOWS_PAGE_SIZE });
    expect(first.items.map((f) => f.name)).toEqual(names.slice(0, FLOWS_PAGE_SIZE));
    const past = await listFlowPage(db, ctx, query({ page: 7 }));
    expect(past.page).toBe(2);
    expect(past.items.map((f) => f.name)).toEqual(names.slice(FLOWS_PAGE_SIZE));
  });

  it("searches names (LIKE characters taken literally), only in the team", async () => {
    const { db, ctx } = await seededTeam(["CRM sync", "crm backfill", "billing_100%", "billing 2"]);
    await seededTeam(["crm of another team"]);
    const names = async (q: string) => (await listFlowPage(db, ctx, query({ q }))).items.map((f) => f.name);
    expect(await names("crm")).toEqual(["crm backfill", "CRM sync"]);
    expect(await names("_100%")).toEqual(["billing_100%"]);
    expect(await names("%")).toEqual(["billing_100%"]);
    expect(await listFlowPage(db, ctx, query({ q: "nothing like it" }))).toMatchObject({ items: [], total: 0, page: 1, pageCount: 1 });
  });

  it("summarizes each flow as the full list does: steps counted, webhook, last run", async () => {
    const { db, ctx, rows } = await seededTeam(["with runs"]);
    const [flow] = rows;
    const earlier = new Date("2026-01-01T00:00:00Z");
    const later = new Date("2026-01-02T00:00:00Z");
    await db.insert(flowRuns).values([
      { teamId: ctx.team.id, flowId: flow.id, trigger: "manual", ...actorColumns(ctx.principal), status: "failed", createdAt: earlier },
      { teamId: ctx.team.id, flowId: flow.id, trigger: "manual", ...actorColumns(ctx.principal), status: "succeeded", createdAt: later },
    ]);
    const [summary] = (await listFlowPage(db, ctx, query())).items;
    expect(summary).toMatchObject({ name: "with runs", steps: 0, hasWebhook: false, lastRun: { status: "succeeded", createdAt: later } });
    expect(await listFlows(db, ctx)).toEqual([summary]);
  });
});

describe("the Flows list's URL", () => {
  it("round-trips search and page, leaves defaults out and falls back on values it does not know", () => {
    expect(flowListHref(query())).toBe("/flows");
    expect(flowListHref(query({ q: "crm & co", page: 3 }))).toBe("/flows?q=crm+%26+co&page=3");
    expect(parseFlowListQuery({ q: ["crm", "other"], page: "3" })).toEqual({ q: "crm", page: 3 });
    expect(parseFlowListQuery({ q: "x".repeat(500), page: "-4" })).toEqual({ q: "", page: 1 });
  });
});
