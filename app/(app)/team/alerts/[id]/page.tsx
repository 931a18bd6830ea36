import Link from "next/link";
import { notFound } from "next/navigation";
import { EndpointActions } from "@/components/alerts/endpoint-actions";
import { RotateWebhookSecret, WebhookEndpointEditForm } from "@/components/alerts/webhook-endpoint-edit";
import { AdminsOnly } from "@/components/auth/admins-only";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { TableHead } from "@/components/ui/table-head";
import { TableScroll } from "@/components/ui/table-scroll";
import { getDb } from "@/db";
import { ALERT_RETENTION_DAYS, channelAvailability, DELIVERIES_KEPT_PER_ENDPOINT, getTeamEndpoint, listDeliveries } from "@/lib/alerts";
import { requirePageContext } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/team-context";
import { NotFoundError } from "@/lib/errors/service-error";

export const metadata = { title: "Delivery log" };

const STATUS_WORDS: Record<string, string> = { pending: "Pending (will retry)", delivered: "Delivered", failed: "Failed" };

export default async function DeliveryLogPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  if (!hasRole(ctx, "admin")) {
    return <AdminsOnly ctx={ctx} title="Delivery log" purpose="Admins see where the team's alerts were sent and how each delivery went." />;
  }
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  const db = await getDb();
  const endpoint = await getTeamEndpoint(db, ctx, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const deliveries = await listDeliveries(db, ctx, id);
  return (
    <>
      <PageHeader
        title="Delivery log"
        description={
          <>
            <span className="break-all font-mono">{endpoint.target}</span>
            {endpoint.description && ` · ${endpoint.description}`} ·{" "}
            <Link className="underline" href="/team/alerts">
              All alert settings
            </Link>
          </>
        }
        actions={
          <EndpointActions
            endpointId={endpoint.id}
            label={endpoint.target}
            canTest={channelAvailability()[endpoint.channel] === null}
            enabled={endpoint.enabled}
          />
        }
      />
      {!endpoint.enabled && (
        <p role="note" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Disabled: this endpoint receives no new alert until it is enabled again (Send test event still works).
        </p>
      )}
      {endpoint.channel === "webhook" && (
        <div className="mb-6 grid gap-6 lg:grid-cols-2">
          <Card>
            <h2 className="mb-4 text-lg font-semibold">Edit</h2>
            <WebhookEndpointEditForm endpoint={endpoint} />
          </Card>
          <Card>
            <h2 className="mb-2 text-lg font-semibold">Signing secret</h2>
            <RotateWebhookSecret endpointId={endpoint.id} previousSecretValidUntil={endpoint.previousSecretValidUntil?.toISOString() ?? null} />
          </Card>
        </div>
      )}
      <Card>
        <h2 className="mb-2 text-lg font-semibold">Deliveries</h2>
        <p className="mb-4 text-sm text-zinc-600">
          The newest {DELIVERIES_KEPT_PER_ENDPOINT} deliveries of the last {ALERT_RETENTION_DAYS} days. Reload to see retries land.
        </p>
        {deliveries.length === 0 ? (
          <EmptyState title="Nothing sent yet">Use Send test event to check the endpoint, or wait for the next alert.</EmptyState>
        ) : (
          <TableScroll label="Deliveries">
            <table className="w-full text-left text-sm">
              <TableHead columns={["Alert", "Status", "Tries", "Answer", "Sent"]} />
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} className="border-b border-zinc-100" data-testid="delivery-row">
                    <td className="px-4 py-2 font-mono text-xs">{d.kind}</td>
                    <td className="px-4 py-2">{STATUS_WORDS[d.status] ?? d.status}</td>
                    <td className="px-4 py-2">{d.attempts}</td>
                    <td className="px-4 py-2">{d.lastError ?? (d.responseStatus ? `HTTP ${d.responseStatus}` : "—")}</td>
                    <td className="px-4 py-2">
                      <LocalTime value={d.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Card>
    </>
  );
}
