import { ApplicationsPanel, type ApplicationView } from "@/components/oauth-server/applications-panel";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { AdminsOnly } from "@/components/auth/admins-only";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { listApplications } from "@/lib/oauth-server/clients";
import { listTeamClientSecrets } from "@/lib/oauth-server/client-secrets";
import { maxActiveClientSecrets, SECRET_EXPIRY_WARNING_DAYS, secretLifetimeDays, tokenLifetimes } from "@/lib/oauth-server/config";

export const metadata = { title: "Applications" };

export default async function ApplicationsPage() {
  const ctx = await requirePageContext();
  if (!hasRole(ctx, "admin")) {
    return (
      <AdminsOnly
        ctx={ctx}
        title="Applications"
        purpose="Admins register the OAuth clients that other programs use to call the Plugboard API for this team."
      />
    );
  }
  const db = await getDb();
  const [rows, secrets] = await Promise.all([listApplications(db, ctx), listTeamClientSecrets(db, ctx)]);
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  type Settings = ApplicationView["settings"];
  const unset: Settings = { secretLifetimeDays: null, accessTokenTtlSeconds: null, refreshTokenTtlSeconds: null };
  const lifetimes = (settings: Settings) => ({ secretLifetimeDays: secretLifetimeDays(settings), ...tokenLifetimes(settings) });
  const applications: ApplicationView[] = rows.map((r) => {
    const settings = {
      secretLifetimeDays: r.secretLifetimeDays,
      accessTokenTtlSeconds: r.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: r.refreshTokenTtlSeconds,
    };
    return {
      ...r,
      grantType: r.grantType as ApplicationView["grantType"],
      authMethod: r.authMethod as ApplicationView["authMethod"],
      jwks: r.jwks ? JSON.stringify(r.jwks, null, 2) : "",
      ownedByMe: r.ownerUserId === ctx.actor.id,
      createdAt: r.createdAt.toISOString(),
      approvedAt: iso(r.approvedAt),
      lastUsedAt: iso(r.lastUsedAt),
      secrets: secrets
        .filter((s) => s.applicationId === r.id)
        .map((s) => ({
          id: s.id,
          createdAt: s.createdAt.toISOString(),
          expiresAt: iso(s.expiresAt),
          lastUsedAt: iso(s.lastUsedAt),
          revokedAt: iso(s.revokedAt),
        })),
      settings,
      defaults: lifetimes(unset),
      effective: lifetimes(settings),
    };
  });
  return (
    <>
      <PageHeader
        title="Applications"
        description={
          <>
            OAuth clients that call the Plugboard API for this team. See the{" "}
            <a className="underline" href="/api-docs">
              API documentation
            </a>
            .
          </>
        }
      />
      <ApplicationsPanel applications={applications} maxSecrets={maxActiveClientSecrets()} secretWarningDays={SECRET_EXPIRY_WARNING_DAYS} />
    </>
  );
}
