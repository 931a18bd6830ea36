import "server-only";
import { and, asc, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { oauthClientSecrets, oauthClients } from "@/db/schema";

/** Rows per call: the alerts' hourly pass takes the rest on its next tick. */
const LIMIT = 1000;

/**
 * Every team's applications that will be left without an active secret within `horizonDays`: each active
 * secret has an expiry and the last of them is that close. An application with a secret that never
 * expires, or registered for private_key_jwt (its secrets are not in use), is not listed. Not team-scoped:
 * for the alerts' background pass (lib/alerts/secret-expiry.ts), which acts as Plugboard itself.
 */
export async function listApplicationsWithExpiringSecrets(
  db: Executor,
  now: Date,
  horizonDays: number,
): Promise<Array<{ id: string; teamId: string; name: string; expiresAt: Date }>> {
  const horizon = new Date(now.getTime() + horizonDays * 86_400_000);
  const lastExpiry = sql`max(${oauthClientSecrets.expiresAt})`;
  const rows = await db
    .select({
      id: oauthClients.id,
      teamId: oauthClients.teamId,
      name: oauthClients.name,
      // As ISO text: a raw timestamp arrives as a Date or as text depending on the driver.
      expiresAt: sql<string>`to_char(${lastExpiry} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    })
    .from(oauthClients)
    .innerJoin(oauthClientSecrets, eq(oauthClientSecrets.clientId, oauthClients.id))
    .where(
      and(
        eq(oauthClients.configuredBy, "customer"),
        ne(oauthClients.authMethod, "private_key_jwt"),
        isNull(oauthClientSecrets.revokedAt),
        or(isNull(oauthClientSecrets.expiresAt), gt(oauthClientSecrets.expiresAt, now)),
      ),
    )
    .groupBy(oauthClients.id)
    .having(and(sql`bool_and(${oauthClientSecrets.expiresAt} is not null)`, sql`${lastExpiry} <= ${horizon.toISOString()}::timestamptz`))
    .orderBy(asc(lastExpiry))
    .limit(LIMIT);
  return rows.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
}
