import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { builderCookieJars, memberships, teams } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { resetEnvCache } from "@/lib/config/env";
import { closeHttpAgents } from "@/lib/http";
import { RunCookieJar } from "@/lib/http/cookie-jar";
import { MASK } from "@/lib/http/mask";
import { requestSpecSchema } from "@/lib/http/spec";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import {
  clearBuilderCookies,
  getBuilderCookies,
  JAR_IDLE_MS,
  MAX_JARS_PER_USER,
  openBuilderJar,
  pruneBuilderCookieJars,
  saveBuilderJar,
} from "./builder-cookies";
import { getRun, runRequest } from "./index";

let bin: string;

beforeAll(() => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  bin = process.env.HTTPBIN_URL as string;
});
afterAll(() => closeHttpAgents());

const VALUE = `jar-value-${crypto.randomUUID().slice(0, 8)}`;

async function run(ctx: TeamContext, url: string, cookieSession: string | null) {
  const db = await getDb();
  // Not followed: the cookie reaches /cookies in the next run through the jar, not on httpbin's redirect.
  const spec = requestSpecSchema.parse({ url, followRedirect: false, responseType: "text", debug: true });
  return runRequest(db, ctx, { spec, connection: null, cookieSession });
}

/** What httpbin's /cookies says it received (the view masks kept values, so a kept cookie reads ••••••). */
async function received(ctx: TeamContext, cookieSession: string | null): Promise<Record<string, string>> {
  const view = await run(ctx, `${bin}/cookies`, cookieSession);
  if (!view.ok || view.body.type !== "text") throw new Error(`no answer: ${JSON.stringify(view)}`);
  return JSON.parse(view.body.value).cookies;
}

describe("the request builder's cookie jar per session", { timeout: 30_000 }, () => {
  it("sends what one run set in the next run of the session, masked in the answer, the jar list and the history", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const session = crypto.randomUUID();
    const set = await run(ctx, `${bin}/cookies/set?kept=${VALUE}`, session);
    expect(set).toMatchObject({ ok: true, status: 302 });
    expect(set.cookies).toEqual([
      { name: "kept", value: MASK, domain: "127.0.0.1", path: "/", hostOnly: true, secure: false, httpOnly: false, expires: expect.any(String) },
    ]);
    // The URL that set it, the Set-Cookie header and the history entry are masked too.
    expect(JSON.stringify(set)).not.toContain(VALUE);
    expect(JSON.stringify(await getRun(db, ctx, set.runId))).not.toContain(VALUE);

    // The masker hides exactly the kept value: httpbin received it.
    const read = await run(ctx, `${bin}/cookies`, session);
    expect(read.ok && read.body.type === "text" && JSON.parse(read.body.value)).toEqual({ cookies: { kept: MASK } });
    expect(read.requests?.[0].headers.cookie).toBe(`kept=${MASK}`);
    expect(JSON.stringify(read)).not.toContain(VALUE);
    expect(JSON.stringify(await getRun(db, ctx, read.runId))).not.toContain(VALUE);
    expect(await getBuilderCookies(db, ctx, session)).toEqual(set.cookies);

    // Stored sealed, bound to its owner.
    const [row] = await db.select().from(builderCookieJars).where(eq(builderCookieJars.sessionId, session));
    expect(row.jar).toMatch(/^v1\./);
    expect(row.jar).not.toContain(VALUE);
  });

  it("is not another session's, user's or team's; without a session a run has no jar; Clear empties it", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const session = crypto.randomUUID();
    await run(ctx, `${bin}/cookies/set?kept=${VALUE}`, session);

    expect(await received(ctx, crypto.randomUUID())).toEqual({});
    expect(await received(ctx, null)).toEqual({});
    const teammate = await addMember(ctx);
    expect(await received(teammate, session)).toEqual({});
    const [other] = await db.insert(teams).values({ name: "Other", createdBy: ctx.actor.id }).returning();
    await db.insert(memberships).values({ teamId: other.id, userId: ctx.actor.id, role: "member" });
    expect(await received({ ...ctx, team: { id: other.id, name: other.name } }, session)).toEqual({});
    // A jar copied into another owner's row does not open there (the envelope is bound to team, user and session).
    const [row] = await db.select().from(builderCookieJars).where(eq(builderCookieJars.sessionId, session));
    const stolen = crypto.randomUUID();
    await db.insert(builderCookieJars).values({ ...row, userId: teammate.actor.id, sessionId: stolen });
    expect(await received(teammate, stolen)).toEqual({});

    expect(await received(ctx, session)).toEqual({ kept: MASK });
    await clearBuilderCookies(db, ctx, session);
    expect(await getBuilderCookies(db, ctx, session)).toEqual([]);
    expect(await received(ctx, session)).toEqual({});
  });

  it("forgets a jar unused for the idle time, and the maintenance sweep deletes it", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const session = crypto.randomUUID();
    const jar = new RunCookieJar();
    await jar.store(`idle=${VALUE}; Max-Age=86400`, new URL(bin));
    const usedAt = new Date();
    await saveBuilderJar(db, ctx, session, jar, usedAt);
    expect((await (await openBuilderJar(db, ctx, session, new Date(usedAt.getTime() + JAR_IDLE_MS - 1000))).list()).map((c) => c.name)).toEqual([
      "idle",
    ]);
    expect(await (await openBuilderJar(db, ctx, session, new Date(usedAt.getTime() + JAR_IDLE_MS))).list()).toEqual([]);
    const later = new Date(usedAt.getTime() + JAR_IDLE_MS + 1000);
    expect(await pruneBuilderCookieJars(db, later)).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(builderCookieJars).where(eq(builderCookieJars.sessionId, session))).toEqual([]);
  });

  it("keeps at most MAX_JARS_PER_USER jars per user and team, the least recently used going first", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const start = Date.now();
    const sessions = Array.from({ length: MAX_JARS_PER_USER + 2 }, () => crypto.randomUUID());
    for (const [i, session] of sessions.entries()) await saveBuilderJar(db, ctx, session, new RunCookieJar(), new Date(start + i * 1000));
    const kept = await db
      .select({ sessionId: builderCookieJars.sessionId })
      .from(builderCookieJars)
      .where(eq(builderCookieJars.userId, ctx.actor.id));
    expect(kept.map((k) => k.sessionId).sort()).toEqual(sessions.slice(2).sort());
  });
});
