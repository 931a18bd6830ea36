import { ConsentsList } from "@/components/oauth-server/consents-list";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { PersonalAlertsForm } from "@/components/alerts/personal-alerts-form";
import { channelAvailability, getPersonalAlerts } from "@/lib/alerts";
import { getSessionActor, getTeamContext, redirectSignedOut } from "@/lib/auth/session";
import { listUserConsents } from "@/lib/oauth-server/consents";
import { listPersonalAccessTokens } from "@/lib/oauth-server/system-clients";
import { PersonalAccessTokens } from "@/components/oauth-server/personal-access-tokens";
import { hasRole } from "@/lib/auth/team-context";

export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const actor = await getSessionActor();
  if (!actor) return redirectSignedOut();
  const db = await getDb();
  const consents = await listUserConsents(db, actor.id);
  // Email alerts are per team: the current one's (a user with no team has none to choose).
  const ctx = await getTeamContext();
  const emailUnavailable = channelAvailability().email;
  const personalAlerts = ctx && !emailUnavailable ? await getPersonalAlerts(db, ctx) : [];
  const personalTokens = ctx ? await listPersonalAccessTokens(db, ctx) : [];
  return (
    <>
      <PageHeader title="Profile" description={`${actor.name} · ${actor.email}`} />
      {ctx && (
        <Card className="mb-6">
          <h2 className="text-lg font-semibold">My email alerts</h2>
          <p className="mb-4 mt-1 text-sm text-zinc-600">
            For team {ctx.team.name}: alerts emailed to you, whatever the team's admins chose for the team's addresses and webhooks.
          </p>
          {emailUnavailable ? (
            <p role="note" className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
              {emailUnavailable}
            </p>
          ) : (
            <PersonalAlertsForm events={personalAlerts} email={actor.email} teamName={ctx.team.name} role={ctx.role} />
          )}
        </Card>
      )}
      {ctx && (hasRole(ctx, "admin") || personalTokens.length > 0) && (
        <Card className="mb-6">
          <h2 className="text-lg font-semibold">Personal access tokens</h2>
          <p className="mb-4 mt-1 text-sm text-zinc-600">
            For team {ctx.team.name}: tokens that call the REST API as you, with your role at the time of each call (if you stop being an admin, they
            lose admin operations; if you leave the team, they stop). Admins create them; they are listed under Applications as system-configured.
          </p>
          <PersonalAccessTokens
            canCreate={hasRole(ctx, "admin")}
            tokens={personalTokens.map((t) => ({
              id: t.id,
              name: t.name,
              scopes: t.scopes,
              createdAt: t.createdAt.toISOString(),
              expiresAt: t.expiresAt?.toISOString() ?? null,
              lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
            }))}
          />
        </Card>
      )}
      <Card>
        <h2 className="text-lg font-semibold">OAuth Client Management</h2>
        <p className="mb-4 mt-1 text-sm text-zinc-600">
          Applications you have allowed to use Plugboard on your behalf. Plugboard remembers what you allowed and does not ask again for those scopes;
          revoking forgets it and stops their tokens at once.
        </p>
        <ConsentsList
          consents={consents.map((c) => ({
            id: c.id,
            applicationName: c.applicationName,
            teamName: c.teamName,
            scopes: c.scopes,
            grantedAt: c.updatedAt.toISOString(),
          }))}
        />
      </Card>
    </>
  );
}
