import { ConsentsList } from "@/components/oauth-server/consents-list";
import { Card, PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { getSessionActor, redirectSignedOut } from "@/lib/auth/session";
import { listUserConsents } from "@/lib/oauth-server/consents";

export const metadata = { title: "Profile" };

export default async function ProfilePage() {
  const actor = await getSessionActor();
  if (!actor) return redirectSignedOut();
  const consents = await listUserConsents(await getDb(), actor.id);
  return (
    <>
      <PageHeader title="Profile" description={`${actor.name} · ${actor.email}`} />
      <Card>
        <h2 className="text-lg font-semibold">OAuth Client Management</h2>
        <p className="mb-4 mt-1 text-sm text-zinc-600">
          Applications you have allowed to use Plugboard on your behalf. Revoking stops their tokens at once.
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
