import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { flows, savedRequests } from "@/db/schema";
import { makeFlow, step } from "@/lib/flows/testing/helpers";
import { requestSpecSchema } from "@/lib/http/spec";
import { listSavedRequests, saveRequest } from "@/lib/requests";
import { makeTeamContext } from "@/lib/testing/factories";
import { createConnection } from "./connections";
import { connectionInputSchema } from "./schemas";

// Saved requests and flows refer to connections by id: only the team's own are accepted.

async function basicConnection(ctx: Awaited<ReturnType<typeof makeTeamContext>>, name: string) {
  const input = connectionInputSchema.parse({ type: "basic", name, username: "u", password: "p-secret" });
  return (await createConnection(await getDb(), ctx, input)).id;
}

const spec = requestSpecSchema.parse({ url: "https://example.com/items" });

describe("connection references", () => {
  it("a saved request keeps its own team's connection", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const own = await basicConnection(ctx, "Own");
    await saveRequest(db, ctx, { name: "Mine", connectionId: own, spec });
    expect((await listSavedRequests(db, ctx)).map((r) => r.connectionId)).toEqual([own]);
  });

  it("a saved request with another team's connection, or an unknown one, is refused and nothing is stored", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const other = await makeTeamContext("member");
    const theirs = await basicConnection(other, "Theirs");
    for (const connectionId of [theirs, crypto.randomUUID()]) {
      const attempt = saveRequest(db, ctx, { name: "Borrowed", connectionId, spec });
      await expect(attempt).rejects.toMatchObject({ code: "invalid", fieldErrors: { connectionId: "Choose one of the team's connections." } });
    }
    expect(await db.select().from(savedRequests).where(eq(savedRequests.teamId, ctx.team.id))).toEqual([]);
  });

  it("a flow step or slot default with another team's connection is refused", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const other = await makeTeamContext("member");
    const theirs = await basicConnection(other, "Theirs");
    const fixed = makeFlow(db, ctx, { steps: [step("x", { url: "https://example.com/" }, { connection: `connection:${theirs}` })] });
    await expect(fixed).rejects.toMatchObject({ fieldErrors: { "steps.0.connection": "That connection no longer exists." } });
    const slot = makeFlow(db, ctx, {
      slots: [{ name: "CRM", defaultConnectionId: theirs }],
      steps: [step("x", { url: "https://example.com/" }, { connection: "slot:CRM" })],
    });
    await expect(slot).rejects.toMatchObject({ fieldErrors: { "slots.0.defaultConnectionId": "That connection no longer exists." } });
    expect(await db.select().from(flows).where(eq(flows.teamId, ctx.team.id))).toEqual([]);
    const own = await basicConnection(ctx, "Own");
    await expect(
      makeFlow(db, ctx, { steps: [step("x", { url: "https://example.com/" }, { connection: `connection:${own}` })] }),
    ).resolves.toHaveProperty("id");
  });
});
