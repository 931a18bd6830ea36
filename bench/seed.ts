/**
 * Seeds one team at scale, to check that the pages stay usable (bench/cases/connections-page.ts uses it):
 *   npx tsx --conditions=react-server bench/seed.ts [--connections 10000] [--history 100000] [--flows 1000] [--email you@example.com]
 * into the database of DATABASE_URL (PLUGBOARD_ENCRYPTION_KEY must be the key the app uses: the secrets are
 * sealed with the real crypto, so the pages open or skip them as they do for real rows). It makes a new team
 * named "Seeded <n>"; with --email, that existing account joins it as admin (switch to it from the team menu),
 * else a new user is made. Rows go in with multi-row INSERTs (10,000 connections, 100,000 history rows and
 * 1,000 flows take seconds, not minutes); the migrations must have been applied (npm run db:migrate).
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

export type SeedCounts = { connections: number; history: number; flows: number };

/** Seeds a new team for `userId` (admin) with the given counts; returns the team's id. */
export async function seedTeam(userId: string, counts: SeedCounts, teamName = `Seeded ${counts.connections}`): Promise<{ teamId: string }> {
  const { getDb } = await import("@/db");
  const { connections, flows, memberships, requestRuns, teams, users } = await import("@/db/schema");
  const { apiKeyConnectionRow } = await import("@/lib/testing/connection-rows");
  const { createFlow } = await import("@/lib/flows");
  const { flowDefinitionSchema } = await import("@/lib/flows/model");
  const { userActor } = await import("@/lib/auth/team-context");
  const { eq } = await import("drizzle-orm");
  const db = await getDb();
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`No user ${userId}.`);
  const [team] = await db.insert(teams).values({ name: teamName, createdBy: user.id }).returning({ id: teams.id, name: teams.name });
  await db.insert(memberships).values({ teamId: team.id, userId: user.id, role: "admin" });

  // Connections: names that need natural order ("service 2" before "service 10"), every status shown in the list.
  const statuses = ["verified", "failed", "never_verified", "needs_reauthorization"] as const;
  const t0 = Date.now() - counts.connections * 60_000;
  const ids: string[] = [];
  for (let start = 0; start < counts.connections; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, counts.connections - start) }, (_, k) => {
      const i = start + k;
      return apiKeyConnectionRow({ teamId: team.id, createdBy: user.id }, `service ${i + 1}`, {
        status: statuses[i % statuses.length],
        createdAt: new Date(t0 + i * 60_000),
      });
    });
    await db.insert(connections).values(rows);
    for (const r of rows) ids.push(r.id as string);
  }

  // Flows: the first made by the real service (validated, audited), the others copies naming other connections.
  if (counts.flows > 0) {
    const ctx = { actor: user, principal: userActor(user), team, role: "admin" as const, ip: "127.0.0.1" };
    const first = ids[0];
    const def = flowDefinitionSchema.parse({
      name: "flow 1",
      steps: [{ name: "me", connection: first ? `connection:${first}` : "", spec: { method: "GET", url: "https://api.example.com/me" } }],
    });
    const { id } = await createFlow(db, ctx, def);
    const [template] = await db.select().from(flows).where(eq(flows.id, id));
    const { id: _id, createdAt: _c, updatedAt: _u, ...columns } = template;
    for (let start = 1; start < counts.flows; start += 500) {
      const rows = Array.from({ length: Math.min(500, counts.flows - start) }, (_, k) => {
        const i = start + k;
        const connectionId = ids.length ? ids[i % ids.length] : undefined;
        const steps = connectionId && first ? JSON.parse(JSON.stringify(columns.steps).replaceAll(first, connectionId)) : columns.steps;
        return { ...columns, name: `flow ${i + 1}`, steps, connectionIds: connectionId ? [connectionId] : [] };
      });
      await db.insert(flows).values(rows);
    }
  }

  // History: the request builder's runs, newest last, spread over the last days (3,000 rows of 17 values: under the 65,535 parameters of one statement).
  const h0 = Date.now() - counts.history * 5_000;
  for (let start = 0; start < counts.history; start += 3000) {
    const rows = Array.from({ length: Math.min(3000, counts.history - start) }, (_, k) => {
      const i = start + k;
      const connectionId = ids.length ? ids[i % ids.length] : null;
      const url = `https://api.example.com/items/${i}`;
      return {
        teamId: team.id,
        actorKind: "user" as const,
        actorId: user.id,
        actorLabel: user.name,
        actorUserId: user.id,
        connectionId,
        connectionName: connectionId ? `service ${(i % ids.length) + 1}` : null,
        method: "GET",
        url,
        spec: { method: "GET", url, headers: [], query: [] },
        ok: i % 10 !== 0,
        status: i % 10 === 0 ? 500 : 200,
        durationMs: 20 + (i % 200),
        responseSize: 512,
        responseHeaders: { "content-type": "application/json" },
        responsePreview: `{"id":${i}}`,
        createdAt: new Date(h0 + i * 5_000),
      };
    });
    await db.insert(requestRuns).values(rows);
  }
  return { teamId: team.id };
}

/**
 * VACUUM ANALYZE of the seeded tables: what autovacuum does soon after on a live database (statistics for
 * the planner, the visibility map for index-only counts), so a measurement right after seeding is not of a
 * state no running app stays in.
 */
export async function settleSeededTables(): Promise<void> {
  const { getDb } = await import("@/db");
  const { sql } = await import("drizzle-orm");
  await (await getDb()).execute(sql`vacuum analyze connections, request_runs, flows`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      connections: { type: "string", default: "10000" },
      history: { type: "string", default: "100000" },
      flows: { type: "string", default: "1000" },
      email: { type: "string" },
    },
  });
  const count = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new Error(`--${name}: a whole number from 0 to 1000000.`);
    return n;
  };
  const counts = {
    connections: count("connections", values.connections),
    history: count("history", values.history),
    flows: count("flows", values.flows),
  };
  const { getDb } = await import("@/db");
  const { closeDb } = await import("@/db/client");
  const { users } = await import("@/db/schema");
  const { makeUser } = await import("@/lib/testing/factories");
  const { sql } = await import("drizzle-orm");
  const db = await getDb();
  let userId: string;
  if (values.email) {
    const [found] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${values.email})`);
    if (!found) throw new Error(`--email: no account ${values.email}.`);
    userId = found.id;
  } else {
    userId = (await makeUser("Seed User")).id;
  }
  const started = performance.now();
  const { teamId } = await seedTeam(userId, counts);
  await settleSeededTables();
  console.log(
    `Seeded team ${teamId}: ${counts.connections} connections, ${counts.history} history rows, ${counts.flows} flows in ${Math.round(performance.now() - started)} ms.`,
  );
  await closeDb();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
