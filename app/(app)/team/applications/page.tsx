import { ApplicationsPanel, type ApplicationView } from "@/components/oauth-server/applications-panel";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db";
import { AdminsOnly } from "@/components/auth/admins-only";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { listApplications } from "@/lib/oauth-server/clients";

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
  const rows = await listApplications(await getDb(), ctx);
  const applications: ApplicationView[] = rows.map((r) => ({
    ...r,
    grantType: r.grantType as ApplicationView["grantType"],
    authMethod: r.authMethod as ApplicationView["authMethod"],
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
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
      <ApplicationsPanel applications={applications} />
    </>
  );
}
