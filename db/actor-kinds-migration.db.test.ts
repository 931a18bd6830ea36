import { randomUUID } from "node:crypto";
import { asc, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "@/db/migrate";
import * as schema from "@/db/schema";
import { emptyDatabase, MIGRATION_TEST_TIMEOUT_MS, migrationsUpTo } from "@/db/testing/migrate-from";
import { actorFromColumns, type Actor } from "@/lib/auth/actor";

/**
 * Migration 0008 turns the actor strings of older rows ("app:<name>", "schedule", "webhook", an email)
 * into actor kinds. This builds a database at 0007, writes rows the way that version of the code wrote
 * them, applies the rest and reads them back as the Actor union.
 */

const LAST_BEFORE_ACTOR_KINDS = 7;
describe("migration 0008 (actor kinds)", () => {
  it("reads rows written before actor kinds as users, applications, schedules and webhooks", { timeout: MIGRATION_TEST_TIMEOUT_MS }, async () => {
    const { db, migrate } = await emptyDatabase();
    await migrate(migrationsUpTo(LAST_BEFORE_ACTOR_KINDS));

    const userId = randomUUID();
    const serviceId = randomUUID();
    const teamId = randomUUID();
    const clientId = randomUUID();
    const flowId = randomUUID();
    await db.execute(sql`insert into users (id, email, name, password_hash) values
      (${userId}, 'ada@example.com', 'Ada', 'x'), (${serviceId}, 'svc@example.com', 'Reporting bot', 'x')`);
    await db.execute(sql`insert into teams (id, name) values (${teamId}, 'Team')`);
    await db.execute(sql`insert into oauth_clients (id, team_id, client_id, name, grant_type, auth_method, scopes, secret_hash, service_user_id)
      values (${clientId}, ${teamId}, 'pb_client', 'Reporting bot', 'client_credentials', 'client_secret_basic', '[]', 'x', ${serviceId})`);
    await db.execute(sql`insert into flows (id, team_id, name) values (${flowId}, ${teamId}, 'Sync')`);
    // As the code before 0008 wrote them: applications as "app:<name>", schedules and webhooks by label.
    await db.execute(sql`insert into audit_events (team_id, actor_user_id, actor_label, action, created_at) values
      (${teamId}, ${userId}, 'ada@example.com', 'member.role_changed', now() - interval '4 minutes'),
      (${teamId}, ${serviceId}, 'app:Reporting bot', 'oauth.token_issued', now() - interval '3 minutes'),
      (null, null, 'app:unknown', 'oauth.client_auth_failed', now() - interval '2 minutes'),
      (null, null, 'nobody@example.com', 'auth.sign_in_failed', now() - interval '1 minute')`);
    await db.execute(sql`insert into request_runs (team_id, actor_user_id, actor_label, method, url, spec, ok, duration_ms, created_at) values
      (${teamId}, ${userId}, 'ada@example.com', 'GET', 'https://example.com/', '{}', true, 1, now() - interval '2 minutes'),
      (${teamId}, ${serviceId}, 'app:Reporting bot', 'GET', 'https://example.com/', '{}', true, 1, now() - interval '1 minute')`);
    await db.execute(sql`insert into flow_runs (team_id, flow_id, trigger, actor_user_id, actor_label, created_at) values
      (${teamId}, ${flowId}, 'manual', ${userId}, 'ada@example.com', now() - interval '4 minutes'),
      (${teamId}, ${flowId}, 'api', ${serviceId}, 'app:Reporting bot', now() - interval '3 minutes'),
      (${teamId}, ${flowId}, 'schedule', null, 'schedule', now() - interval '2 minutes'),
      (${teamId}, ${flowId}, 'webhook', null, 'webhook', now() - interval '1 minute')`);

    await migrate(migrationsFolder);

    const actors = async (table: typeof schema.auditEvents | typeof schema.requestRuns | typeof schema.flowRuns): Promise<Actor[]> =>
      (await db.select().from(table).orderBy(asc(table.createdAt))).map(actorFromColumns);
    const app: Actor = { kind: "application", clientId, name: "Reporting bot", userId: serviceId };
    const ada: Actor = { kind: "user", userId, email: "ada@example.com" };
    expect(await actors(schema.auditEvents)).toEqual([
      ada,
      app,
      { kind: "application", clientId: null, name: "unknown", userId: null },
      { kind: "user", userId: null, email: "nobody@example.com" },
    ]);
    expect(await actors(schema.requestRuns)).toEqual([ada, app]);
    expect(await actors(schema.flowRuns)).toEqual([ada, app, { kind: "schedule", flowId }, { kind: "webhook", flowId }]);
  });
});
