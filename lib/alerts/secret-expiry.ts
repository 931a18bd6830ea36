import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { oauthClients } from "@/db/schema";
import { EXPIRY_THRESHOLD_DAYS, expiryThreshold } from "@/lib/health/expiry";
import { listApplicationsWithExpiringSecrets } from "@/lib/oauth-server/expiring-secrets";
import type { AlertEvent } from "./events";
import { raiseAlertOnce } from "./raise";

/**
 * "application.secret_expiring": an Application whose last active client secret expires within 14, 3 or 1
 * days gets one alert per threshold, like a connection's credentials (lib/alerts/expiry.ts). A new secret
 * that outlives the old ones changes the date, so its alerts start over.
 */
export async function raiseSecretExpiryAlert(
  db: Database,
  input: { teamId: string; applicationId: string; expiresAt: Date },
  now = new Date(),
): Promise<AlertEvent | null> {
  const thresholdDays = expiryThreshold(input.expiresAt, now);
  if (!thresholdDays) return null;
  const key = `secret-expiry:${input.applicationId}:${input.expiresAt.toISOString()}:${thresholdDays}`;
  return raiseAlertOnce(db, input.teamId, key, async (tx) => {
    const [application] = await tx
      .select({ id: oauthClients.id, name: oauthClients.name })
      .from(oauthClients)
      .where(and(eq(oauthClients.id, input.applicationId), eq(oauthClients.teamId, input.teamId)));
    return application
      ? { kind: "application.secret_expiring", application, thresholdDays, expiresOn: input.expiresAt.toISOString().slice(0, 10) }
      : null;
  });
}

/** The hourly scan (the alerts' maintenance job): one application's failure is logged and the scan goes on. */
export async function raiseDueSecretExpiryAlerts(db: Database, now = new Date()): Promise<number> {
  let raised = 0;
  for (const app of await listApplicationsWithExpiringSecrets(db, now, Math.max(...EXPIRY_THRESHOLD_DAYS))) {
    try {
      if (await raiseSecretExpiryAlert(db, { teamId: app.teamId, applicationId: app.id, expiresAt: app.expiresAt }, now)) raised++;
    } catch (error) {
      console.error("[plugboard] secret expiry alert:", (error as Error).message.split("\n")[0]);
    }
  }
  return raised;
}
