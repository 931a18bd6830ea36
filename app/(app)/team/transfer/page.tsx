import { AdminsOnly } from "@/components/auth/admins-only";
import { TransferPanel } from "@/components/bundle/transfer-panel";
import { PageHeader } from "@/components/ui/card";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";

export const metadata = { title: "Export / import" };

export default async function TransferPage() {
  const ctx = await requirePageContext();
  if (!hasRole(ctx, "admin")) {
    return (
      <AdminsOnly
        ctx={ctx}
        title="Export / import"
        purpose="Admins move the team's connections, saved requests, flows and Applications to another Plugboard as one bundle."
      />
    );
  }
  return (
    <>
      <PageHeader
        title="Export / import"
        description={
          <>
            Move this team's setup to another Plugboard as one file. The format is described by its{" "}
            <a className="underline" href="/api/v1/team-bundle.schema.json">
              JSON Schema
            </a>
            .
          </>
        }
      />
      <TransferPanel />
    </>
  );
}
