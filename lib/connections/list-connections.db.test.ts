import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { connections, flows, savedRequests } from "@/db/schema";
import { toConnectionRow } from "@/components/connections/connection-row";
import { apiKeyConnectionRow } from "@/lib/testing/connection-rows";
import { makeTeamContext } from "@/lib/testing/factories";
import { getConnectionOptions, listConnectionPage, searchConnectionOptions } from "./index";
import { CONNECTION_OPTIONS_LIMIT, CONNECTIONS_PAGE_SIZE, type ConnectionListQuery } from "./list-query";

const query = (q: Partial<ConnectionListQuery> = {}): ConnectionListQuery => ({ q: "", sort: "name", page: 1, ...q });

async function seededTeam(names: string[], status: (i: number) => "verified" | "failed" | "never_verified" = () => "never_verified") {
  const db = await getDb();
  const ctx = await makeTeamContext();
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  const rows = names.map((name, i) =>
    apiKeyConnectionRow({ teamId: ctx.team.id, createdBy: ctx.actor.id }, name, { status: status(i), createdAt: new Date(t0 + i * 1000) }),
  );
  if (rows.length) await db.insert(connections).values(rows);
  return { db, ctx, rows };
}

describe("the Connections list's page query", () => {
  it("orders names naturally (numbers by value, case ignored), both ways, and newest first", async () => {
    const { db, ctx } = await seededTeam(["key 10", "Key 2", "key 1", "alpha", "key 2b", "key 002c", "Beta 100", "beta 20"]);
    const names = async (sort: ConnectionListQuery["sort"]) => (await listConnectionPage(db, ctx, query({ sort }))).items.map((c) => c.name);
    expect(await names("name")).toEqual(["alpha", "beta 20", "Beta 100", "key 1", "Key 2", "key 2b", "key 002c", "key 10"]);
    expect(await names("name_desc")).toEqual(["key 10", "key 002c", "key 2b", "Key 2", "key 1", "Beta 100", "beta 20", "alpha"]);
    expect(await names("newest")).toEqual(["beta 20", "Beta 100", "key 002c", "key 2b", "alpha", "key 1", "Key 2", "key 10"]);
  });

  it("cuts pages of CONNECTIONS_PAGE_SIZE in order, clamps a page past the end, and counts the whole match", async () => {
    const names = Array.from({ length: CONNECTIONS_PAGE_SIZE + 7 }, (_, i) => `conn ${i + 1}`);
    const { db, ctx } = await seededTeam(names);
    const first = await listConnectionPage(db, ctx, query());
    expect(first).toMatchObject({ total: names.length, page: 1, pageCount: 2, pageSize: CONNECTIONS_PAGE_SIZE });
    expect(first.items.map((c) => c.name)).toEqual(names.slice(0, CONNECTIONS_PAGE_SIZE));
    const second = await listConnectionPage(db, ctx, query({ page: 2 }));
    expect(second.items.map((c) => c.name)).toEqual(names.slice(CONNECTIONS_PAGE_SIZE));
    const past = await listConnectionPage(db, ctx, query({ page: 9 }));
    expect(past.page).toBe(2);
    expect(past.items.map((c) => c.name)).toEqual(names.slice(CONNECTIONS_PAGE_SIZE));
  });

  it("filters by status and searches by name (LIKE characters taken literally) or by type, only in the team", async () => {
    const { db, ctx } = await seededTeam(
      ["crm 1", "crm 2", "billing_100%", "billing 2", "mail"],
      (i) => (["verified", "failed", "never_verified"] as const)[i % 3],
    );
    await seededTeam(["crm other team"]);
    const names = async (q: Partial<ConnectionListQuery>) => (await listConnectionPage(db, ctx, query(q))).items.map((c) => c.name);
    expect(await names({ status: "failed" })).toEqual(["crm 2", "mail"]);
    expect(await names({ status: "verified" })).toEqual(["billing 2", "crm 1"]);
    expect(await names({ q: "CRM" })).toEqual(["crm 1", "crm 2"]);
    expect(await names({ q: "crm", status: "failed" })).toEqual(["crm 2"]);
    expect(await names({ q: "_100%" })).toEqual(["billing_100%"]);
    expect(await names({ q: "%" })).toEqual(["billing_100%"]);
    // Every row is an API key: the type's label finds them all.
    expect(await names({ q: "api key" })).toHaveLength(5);
    const none = await listConnectionPage(db, ctx, query({ q: "nothing like it" }));
    expect(none).toMatchObject({ items: [], total: 0, page: 1, pageCount: 1 });
  });

  it("lists what uses each connection on the page (flows, then saved requests, each in name order), only the team's", async () => {
    const { db, ctx, rows } = await seededTeam(["used", "unused", "shared"]);
    const [used, , shared] = rows.map((r) => r.id as string);
    await db.insert(flows).values([
      { teamId: ctx.team.id, name: "sync", connectionIds: [used] },
      { teamId: ctx.team.id, name: "Backfill", connectionIds: [shared, used] },
    ]);
    await db.insert(savedRequests).values([
      { teamId: ctx.team.id, name: "Me", connectionId: used, spec: {} },
      { teamId: ctx.team.id, name: "Accounts", connectionId: used, spec: {} },
      { teamId: ctx.team.id, name: "No connection", connectionId: null, spec: {} },
    ]);
    // Another team's flow and request naming the same ids are not uses (a stale id cannot leak a name).
    const stranger = await makeTeamContext();
    await db.insert(flows).values({ teamId: stranger.team.id, name: "Theirs", connectionIds: [used, shared] });
    await db.insert(savedRequests).values({ teamId: stranger.team.id, name: "Theirs", connectionId: used, spec: {} });
    const { items } = await listConnectionPage(db, ctx, query());
    expect(items.map((c) => [c.name, c.usedBy])).toEqual([
      ["shared", ["flow “Backfill”"]],
      ["unused", []],
      ["used", ["flow “Backfill”", "flow “sync”", "saved request “Accounts”", "saved request “Me”"]],
    ]);
    // The row's other facts come through the page's subquery typed as the table's (dates as dates).
    expect(items[2]).toMatchObject({ id: used, type: "api_key", status: "never_verified", createdByName: ctx.actor.name, holdsToken: false });
    expect(items[2].createdAt).toBeInstanceOf(Date);
  });

  it("gives each row's client component the facts the connection has and leaves out the ones it lacks", async () => {
    const { db, ctx, rows } = await seededTeam(["fresh", "broken"]);
    const verifiedAt = new Date("2026-02-01T10:00:00Z");
    await db
      .update(connections)
      .set({ status: "failed", lastVerifiedAt: verifiedAt, lastVerifyOk: false, lastVerifyMessage: "Test URL answered HTTP 401." })
      .where(eq(connections.id, rows[1].id as string));
    const [broken, fresh] = (await listConnectionPage(db, ctx, query())).items.map((c) => toConnectionRow(c));
    expect(fresh).toEqual({
      id: rows[0].id,
      name: "fresh",
      type: "api_key",
      typeLabel: "API key",
      status: "never_verified",
      createdByName: ctx.actor.name,
      usedBy: [],
    });
    expect(broken).toMatchObject({ status: "failed", lastVerifiedAt: verifiedAt.toISOString(), verifyFailure: "Test URL answered HTTP 401." });
  });
});

describe("the connection pickers' search", () => {
  it("answers at most CONNECTION_OPTIONS_LIMIT matches in natural order, says there are more, and only the team's", async () => {
    const names = Array.from({ length: CONNECTION_OPTIONS_LIMIT + 5 }, (_, i) => `svc ${CONNECTION_OPTIONS_LIMIT + 5 - i}`);
    const { db, ctx, rows } = await seededTeam([...names, "other"]);
    const all = await searchConnectionOptions(db, ctx, { q: "svc" });
    expect(all.more).toBe(true);
    expect(all.options.map((o) => o.name)).toEqual(Array.from({ length: CONNECTION_OPTIONS_LIMIT }, (_, i) => `svc ${i + 1}`));
    expect(await searchConnectionOptions(db, ctx, { q: "svc 25" })).toEqual({
      options: [{ id: rows[0].id, name: "svc 25", type: "api_key" }],
      more: false,
    });
    const stranger = await makeTeamContext();
    expect(await searchConnectionOptions(db, stranger, { q: "" })).toEqual({ options: [], more: false });
    expect(await getConnectionOptions(db, stranger, [rows[0].id as string])).toEqual([]);
    expect(await getConnectionOptions(db, ctx, [rows[0].id as string, "not-an-id"])).toEqual([{ id: rows[0].id, name: "svc 25", type: "api_key" }]);
  });
});
