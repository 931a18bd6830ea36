import Link from "next/link";
import { EmailRecipientForm } from "@/components/alerts/email-recipient-form";
import { EndpointActions } from "@/components/alerts/endpoint-actions";
import { FlowStreakForm } from "@/components/alerts/flow-streak-form";
import { WebhookEndpointForm } from "@/components/alerts/webhook-endpoint-form";
import { AdminsOnly } from "@/components/auth/admins-only";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { getDb } from "@/db";
import { ALERT_KIND_LABELS, channelAvailability, getTeamAlertSettings, listTeamEndpoints, type AlertEndpointSummary } from "@/lib/alerts";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { listMembers } from "@/lib/teams/members";

export const metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const ctx = await requirePageContext();
  if (!hasRole(ctx, "admin")) {
    return (
      <AdminsOnly
        ctx={ctx}
        title="Alerts"
        purpose="Admins choose where the team's alerts go: email addresses and webhooks. Your own email alerts are on your Profile."
      />
    );
  }
  const db = await getDb();
  const [endpoints, settings, members] = await Promise.all([listTeamEndpoints(db, ctx), getTeamAlertSettings(db, ctx), listMembers(db, ctx)]);
  const availability = channelAvailability();
  const webhooks = endpoints.filter((e) => e.channel === "webhook");
  const emails = endpoints.filter((e) => e.channel === "email");
  return (
    <>
      <PageHeader
        title="Alerts"
        description={
          <>
            Where {ctx.team.name}'s alerts go: a connection that starts failing, needs reauthorization, recovers or expires soon, and a flow that
            keeps failing. Each member also chooses their own email alerts on their{" "}
            <Link className="underline" href="/profile">
              Profile
            </Link>
            .
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <h2 className="text-lg font-semibold">Webhook endpoints</h2>
          <p className="mb-4 mt-1 text-sm text-zinc-600">
            Signed JSON (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature), retried with backoff up to 5 tries.
          </p>
          <EndpointTable label="Webhook endpoints" endpoints={webhooks} canTest={availability.webhook === null} logLinks />
          <div className="mt-6 border-t border-zinc-200 pt-4">
            <WebhookEndpointForm />
          </div>
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">Email</h2>
          {availability.email ? (
            <p role="note" className="mt-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
              {availability.email}
            </p>
          ) : (
            <>
              <p className="mb-4 mt-1 text-sm text-zinc-600">Short plain-text emails naming the connection or flow, with a link to it.</p>
              <EndpointTable label="Email addresses" endpoints={emails} canTest logLinks />
              <div className="mt-6 border-t border-zinc-200 pt-4">
                <EmailRecipientForm memberEmails={members.map((m) => m.email)} />
              </div>
            </>
          )}
        </Card>
        <Card>
          <h2 className="text-lg font-semibold">Flows</h2>
          <p className="mb-4 mt-1 text-sm text-zinc-600">
            A flow that fails this many runs in a row raises one alert, and again only after it has succeeded.
          </p>
          <FlowStreakForm flowFailureStreak={settings.flowFailureStreak} />
        </Card>
      </div>
    </>
  );
}

function EndpointTable({
  label,
  endpoints,
  canTest,
  logLinks,
}: {
  label: string;
  endpoints: AlertEndpointSummary[];
  canTest: boolean;
  logLinks: boolean;
}) {
  if (endpoints.length === 0)
    return <EmptyState title={`No ${label.toLowerCase()} yet`}>Alerts go nowhere through this channel until you add one below.</EmptyState>;
  return (
    <TableScroll label={label}>
      <table className="w-full text-left text-sm">
        <TableHead columns={[label === "Email addresses" ? "Address" : "URL", "Alerts", { label: "", align: "right" }]} />
        <tbody>
          {endpoints.map((endpoint) => (
            <tr key={endpoint.id} className="border-b border-zinc-100 align-top">
              <td className="px-4 py-2">
                {logLinks ? (
                  <Link className="break-all font-mono text-xs underline" href={`/team/alerts/${endpoint.id}`}>
                    {endpoint.target}
                  </Link>
                ) : (
                  <span className="break-all font-mono text-xs">{endpoint.target}</span>
                )}
                {endpoint.description && <span className="block text-zinc-600">{endpoint.description}</span>}
                {!endpoint.enabled && <span className="mt-1 block font-medium text-amber-800">Disabled: receives no new alert</span>}
              </td>
              <td className="px-4 py-2 text-zinc-700">
                <ul className="list-inside list-disc">
                  {endpoint.events.map((kind) => (
                    <li key={kind}>{ALERT_KIND_LABELS[kind]}</li>
                  ))}
                </ul>
              </td>
              <td className="px-4 py-2">
                <EndpointActions endpointId={endpoint.id} label={endpoint.target} canTest={canTest} enabled={endpoint.enabled} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
