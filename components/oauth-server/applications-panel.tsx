"use client";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteApplicationAction, regenerateSecretAction } from "@/app/(app)/team/applications/actions";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormMessage } from "@/components/ui/field";
import type { CreatedApplication } from "@/lib/oauth-server/clients";
import { type AUTH_METHOD_LABELS, GRANT_TYPE_LABELS } from "@/lib/oauth-server/labels";
import { LazyActionMenu } from "./lazy-action-menu";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { LocalTime } from "@/components/ui/local-time";

// Loaded when their dialog opens: they carry zod (the form's schema, the cURL builder's request spec),
// which the list must not load at first paint (issue 13's JS budget).
const CreateApplicationForm = dynamic(() => import("./create-application-form").then((m) => m.CreateApplicationForm), { ssr: false });
const SecretReveal = dynamic(() => import("./secret-reveal").then((m) => m.SecretReveal), { ssr: false });
// Radix's dialog too: each dialog below is rendered only while open, so its chunk loads with the first one.
const Dialog = dynamic(() => import("./dialog").then((m) => m.Dialog), { ssr: false });

export type ApplicationView = {
  id: string;
  clientId: string;
  name: string;
  configuredBy: string;
  accessTokenFormat: string;
  grantType: keyof typeof GRANT_TYPE_LABELS;
  authMethod: keyof typeof AUTH_METHOD_LABELS;
  scopes: string[];
  role: string;
  createdByName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
};

type Open =
  | { kind: "create" }
  | { kind: "regenerate" | "delete"; app: ApplicationView }
  | { kind: "secret"; title: string; created: CreatedApplication }
  | null;

export function ApplicationsPanel({ applications }: { applications: ApplicationView[] }) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const close = () => {
    setOpen(null);
    setError(null);
  };
  const groups = [
    { title: "Customer-configured", rows: applications.filter((a) => a.configuredBy !== "system") },
    { title: "System-configured", rows: applications.filter((a) => a.configuredBy === "system") },
  ];

  return (
    <div className="space-y-6">
      <div className="flex justify-end">
        <LazyActionMenu
          trigger={{ label: "Add new application" }}
          contentClassName="min-w-48"
          items={[{ label: "OAuth Client", onSelect: () => setOpen({ kind: "create" }) }]}
        />
      </div>
      {groups.map((group) => (
        <section key={group.title} aria-label={group.title}>
          <h2 className="mb-2 text-lg font-semibold">{group.title}</h2>
          {group.rows.length === 0 ? (
            <EmptyState title={`No ${group.title.toLowerCase()} applications`}>
              {group.title.startsWith("Customer")
                ? "Add an OAuth client so another program can call the Plugboard API."
                : "Plugboard has not registered any applications of its own in this team."}
            </EmptyState>
          ) : (
            <TableScroll label="Applications" className="rounded-lg border border-zinc-200 bg-white">
              <table className="w-full text-left text-sm">
                <TableHead cell="px-3 py-2" columns={["Name", "Type", "Grant type", "Scopes", "Created by", "Created", "Last used", ""]} />
                <tbody>
                  {group.rows.map((app) => (
                    <tr key={app.id} data-testid={`application-${app.name}`} className="border-b border-zinc-100 align-top last:border-0">
                      <td className="px-3 py-2">
                        <span className="font-medium">{app.name}</span>
                        <span className="block font-mono text-xs text-zinc-500">{app.clientId}</span>
                      </td>
                      <td className="px-3 py-2">OAuth Client</td>
                      <td className="px-3 py-2">
                        {GRANT_TYPE_LABELS[app.grantType]}
                        {app.grantType === "client_credentials" && <span className="block text-xs text-zinc-500">acts as {app.role}</span>}
                        {app.accessTokenFormat === "jwt" && <span className="block text-xs text-zinc-500">JWT access tokens</span>}
                      </td>
                      <td className="px-3 py-2 font-mono text-xs">{app.scopes.join(" ")}</td>
                      <td className="px-3 py-2">{app.createdByName ?? "—"}</td>
                      <td className="whitespace-nowrap px-3 py-2">
                        <LocalTime value={app.createdAt} />
                      </td>
                      <td className="whitespace-nowrap px-3 py-2">
                        <LocalTime value={app.lastUsedAt} empty="Never" />
                      </td>
                      <td className="px-3 py-2 text-right">
                        {app.configuredBy !== "system" && (
                          <LazyActionMenu
                            trigger={{ label: "⋯", ariaLabel: `Actions for ${app.name}`, variant: "ghost", size: "sm" }}
                            contentClassName="min-w-44"
                            items={[
                              { label: "Regenerate secret", onSelect: () => setOpen({ kind: "regenerate", app }) },
                              { label: "Delete", danger: true, onSelect: () => setOpen({ kind: "delete", app }) },
                            ]}
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
      ))}

      {open?.kind === "create" && (
        <Dialog open onOpenChange={(o) => !o && close()} title="New OAuth client">
          <CreateApplicationForm
            onCreated={(created) => {
              setOpen({ kind: "secret", title: "Application created", created });
              router.refresh();
            }}
          />
        </Dialog>
      )}
      {open?.kind === "secret" && (
        <Dialog open={open?.kind === "secret"} onOpenChange={(o) => !o && close()} title={open?.kind === "secret" ? open.title : ""}>
          {open?.kind === "secret" && (
            <SecretReveal clientId={open.created.clientId} clientSecret={open.created.clientSecret} tokenRequest={open.created.tokenRequest} />
          )}
          <div className="mt-4 flex justify-end">
            <Button variant="secondary" onClick={close}>
              Done
            </Button>
          </div>
        </Dialog>
      )}
      {open?.kind === "regenerate" && (
        <Dialog
          open={open?.kind === "regenerate"}
          onOpenChange={(o) => !o && close()}
          title={open?.kind === "regenerate" ? `Regenerate the secret of ${open.app.name}?` : ""}
          description="The current secret stops working at once. Programs using it must switch to the new one."
        >
          <FormMessage error={error} />
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button
              variant="danger"
              pending={pending}
              onClick={() =>
                open?.kind === "regenerate" &&
                startTransition(async () => {
                  const result = await regenerateSecretAction({ applicationId: open.app.id });
                  if (!result.ok) return setError(result.error);
                  setOpen({ kind: "secret", title: "New client secret", created: result.data });
                })
              }
            >
              Regenerate secret
            </Button>
          </div>
        </Dialog>
      )}
      {open?.kind === "delete" && (
        <Dialog
          open={open?.kind === "delete"}
          onOpenChange={(o) => !o && close()}
          title={open?.kind === "delete" ? `Delete ${open.app.name}?` : ""}
          description="Every token it holds is revoked at once, and its client ID stops working. This cannot be undone."
        >
          <FormMessage error={error} />
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Cancel
            </Button>
            <ConfirmButton
              label="Delete application"
              confirmLabel="Click again to delete"
              pending={pending}
              onConfirm={() =>
                open?.kind === "delete" &&
                startTransition(async () => {
                  const result = await deleteApplicationAction({ applicationId: open.app.id });
                  if (!result.ok) return setError(result.error);
                  close();
                  router.refresh();
                })
              }
            />
          </div>
        </Dialog>
      )}
    </div>
  );
}
