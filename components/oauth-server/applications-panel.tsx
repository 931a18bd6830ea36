"use client";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { approveApplicationAction, deleteApplicationAction, regenerateSecretAction } from "@/app/(app)/team/applications/actions";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormMessage } from "@/components/ui/field";
import type { CreatedApplication } from "@/lib/oauth-server/clients";
import { type AUTH_METHOD_LABELS, GRANT_TYPE_LABELS, SYSTEM_CLIENT_KINDS, type SystemClientKind } from "@/lib/oauth-server/labels";
import { LazyActionMenu } from "./lazy-action-menu";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { LocalTime } from "@/components/ui/local-time";
import type { ClientSecretItem } from "./application-secrets";

// Loaded when their dialog opens: they carry zod (the form's schema, the cURL builder's request spec),
// which the list must not load at first paint (issue 13's JS budget).
const CreateApplicationForm = dynamic(() => import("./create-application-form").then((m) => m.CreateApplicationForm), { ssr: false });
const ApplicationSecrets = dynamic(() => import("./application-secrets").then((m) => m.ApplicationSecrets), { ssr: false });
const ApplicationAuthForm = dynamic(() => import("./application-auth-form").then((m) => m.ApplicationAuthForm), { ssr: false });
const ApplicationSettingsForm = dynamic(() => import("./application-secrets").then((m) => m.ApplicationSettingsForm), { ssr: false });
const SecretReveal = dynamic(() => import("./secret-reveal").then((m) => m.SecretReveal), { ssr: false });
// Radix's dialog too: each dialog below is rendered only while open, so its chunk loads with the first one.
const Dialog = dynamic(() => import("./dialog").then((m) => m.Dialog), { ssr: false });

export type ApplicationView = {
  id: string;
  clientId: string;
  name: string;
  configuredBy: string;
  /** A system client's purpose, its owner (a personal access token's), and whether that is the viewer (who may revoke it). */
  systemKind: string | null;
  ownerName: string | null;
  ownedByMe: boolean;
  /** manual | dynamic (RFC 7591: registered itself; createdByName is the member who allowed it) */
  registration: string;
  /** null: a dynamic registration waiting for an admin's approval (approvedByName: who gave it). */
  approvedAt: string | null;
  approvedByName: string | null;
  accessTokenFormat: string;
  grantType: keyof typeof GRANT_TYPE_LABELS;
  authMethod: keyof typeof AUTH_METHOD_LABELS;
  /** private_key_jwt: the registered JWK Set as JSON text ("" when none), or the URL it is read from. */
  jwks: string;
  jwksUri: string | null;
  scopes: string[];
  role: string;
  createdByName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  secrets: ClientSecretItem[];
  activeSecrets: number;
  /** When the last active secret expires (null: one never does). */
  secretsExpireAt: string | null;
  /** The application's own lifetimes (null: the instance default), the instance defaults, and what applies. */
  settings: { secretLifetimeDays: number | null; accessTokenTtlSeconds: number | null; refreshTokenTtlSeconds: number | null };
  defaults: Lifetimes;
  effective: Lifetimes;
};

type Lifetimes = { secretLifetimeDays: number | null; accessSeconds: number; refreshSeconds: number };

/** "expires in 3 days" under the name when the last active secret expires soon; "no active secret" when none is left. */
function secretWarning(app: ApplicationView, now: number, warningDays: number): string | null {
  // A private_key_jwt application authenticates with its keys; its secrets are not in use.
  if (app.authMethod === "private_key_jwt") return null;
  if (app.activeSecrets === 0) return "No active secret: the application cannot authenticate. Regenerate its secret.";
  if (!app.secretsExpireAt) return null;
  const days = Math.ceil((new Date(app.secretsExpireAt).getTime() - now) / 86_400_000);
  return days <= warningDays ? `Its secret expires in ${days} day${days === 1 ? "" : "s"}. Add a new one and switch to it.` : null;
}

type Open =
  | { kind: "create" }
  | { kind: "regenerate" | "delete" | "secrets" | "settings" | "auth"; app: ApplicationView }
  | { kind: "secret"; title: string; created: CreatedApplication }
  | null;

export function ApplicationsPanel({
  applications,
  maxSecrets,
  secretWarningDays,
}: {
  applications: ApplicationView[];
  maxSecrets: number;
  secretWarningDays: number;
}) {
  const router = useRouter();
  const [now] = useState(() => Date.now());
  const [revokeTokens, setRevokeTokens] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const close = () => {
    setOpen(null);
    setError(null);
    setRevokeTokens(false);
  };
  const groups = [
    { title: "Customer-configured", rows: applications.filter((a) => a.configuredBy !== "system") },
    { title: "System-configured", rows: applications.filter((a) => a.configuredBy === "system") },
  ];

  return (
    <div className="space-y-6">
      {!open && <FormMessage error={error} />}
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
                        {app.registration === "dynamic" && app.approvedAt && (
                          <span className="mt-1 block text-xs text-indigo-800">
                            Registered dynamically{app.approvedByName ? `, approved by ${app.approvedByName}` : ""}
                          </span>
                        )}
                        {app.configuredBy === "system" && (
                          <span className="mt-1 block text-xs text-zinc-600">
                            {SYSTEM_CLIENT_KINDS[app.systemKind as SystemClientKind]?.label ?? "Made by Plugboard"}
                            {app.ownerName ? ` of ${app.ownerName}` : ""} · not editable here
                          </span>
                        )}
                        {app.registration === "dynamic" && !app.approvedAt && (
                          <>
                            <span role="status" className="mt-1 block text-xs text-amber-800">
                              Registered dynamically{app.createdByName ? `, allowed by ${app.createdByName}` : ""}: waiting for an admin's approval
                            </span>
                            <Button
                              size="sm"
                              variant="secondary"
                              className="mt-1 block"
                              pending={pending}
                              onClick={() =>
                                startTransition(async () => {
                                  const result = await approveApplicationAction({ applicationId: app.id });
                                  if (!result.ok) return setError(result.error);
                                  router.refresh();
                                })
                              }
                            >
                              Approve {app.name}
                            </Button>
                          </>
                        )}
                        {app.configuredBy !== "system" && secretWarning(app, now, secretWarningDays) && (
                          <span role="status" className="mt-1 block text-xs text-amber-800">
                            {secretWarning(app, now, secretWarningDays)}
                          </span>
                        )}
                      </td>
                      <td className="px-3 py-2">OAuth Client</td>
                      <td className="px-3 py-2">
                        {GRANT_TYPE_LABELS[app.grantType]}
                        {app.grantType === "client_credentials" && <span className="block text-xs text-zinc-500">acts as {app.role}</span>}
                        {app.accessTokenFormat === "jwt" && <span className="block text-xs text-zinc-500">JWT access tokens</span>}
                        {app.authMethod === "private_key_jwt" && (
                          <span className="block text-xs text-zinc-500">private_key_jwt ({app.jwksUri ? "JWKS URL" : "registered JWK Set"})</span>
                        )}
                        <span className="block text-xs text-zinc-500" data-testid="token-lifetimes">
                          access token {app.effective.accessSeconds} s
                          {app.grantType === "authorization_code" && `, refresh token ${app.effective.refreshSeconds} s`}
                        </span>
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
                        {app.configuredBy === "system" && app.ownedByMe && (
                          <Button variant="ghost" size="sm" onClick={() => setOpen({ kind: "delete", app })}>
                            Revoke
                          </Button>
                        )}
                        {app.configuredBy !== "system" && (
                          <LazyActionMenu
                            trigger={{ label: "⋯", ariaLabel: `Actions for ${app.name}`, variant: "ghost", size: "sm" }}
                            contentClassName="min-w-44"
                            items={[
                              { label: "Secrets", onSelect: () => setOpen({ kind: "secrets", app }) },
                              { label: "Authentication", onSelect: () => setOpen({ kind: "auth", app }) },
                              { label: "Lifetimes", onSelect: () => setOpen({ kind: "settings", app }) },
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
          description="Every current secret stops working at once. Programs using them must switch to the new one. To switch without downtime, use Secrets > Add secret instead."
        >
          <FormMessage error={error} />
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-1" checked={revokeTokens} onChange={(e) => setRevokeTokens(e.currentTarget.checked)} />
            <span>Also revoke every token issued to this application (access and refresh tokens)</span>
          </label>
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
                  const result = await regenerateSecretAction({ applicationId: open.app.id, revokeTokens });
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
      {open?.kind === "secrets" && (
        <Dialog open onOpenChange={(o) => !o && close()} title={`Secrets of ${open.app.name}`}>
          <ApplicationSecrets app={applications.find((a) => a.id === open.app.id) ?? open.app} maxSecrets={maxSecrets} />
        </Dialog>
      )}
      {open?.kind === "settings" && (
        <Dialog open onOpenChange={(o) => !o && close()} title={`Lifetimes of ${open.app.name}`}>
          <ApplicationSettingsForm app={open.app} onSaved={close} />
        </Dialog>
      )}
      {open?.kind === "auth" && (
        <Dialog open onOpenChange={(o) => !o && close()} title={`Authentication of ${open.app.name}`}>
          <ApplicationAuthForm app={open.app} onSaved={close} />
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
