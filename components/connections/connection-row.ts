import type { ConnectionSummary } from "@/lib/connections";
import { CONNECTION_TYPE_LABELS } from "@/lib/connections/schemas";
import { expiresWithinAttentionWindow, expiryInDays } from "@/lib/health/expiry";

/**
 * What the client gets of a connection for its list row and actions: plain values, no secrets
 * (ConnectionSummary holds none), and only what they show or act on. Every field is sent twice for each of
 * the list's rows (in its HTML and its RSC payload), so facts the row does not show stay on the server, and
 * a fact the connection lacks is left out rather than sent as null.
 */
export type ConnectionRowData = Pick<ConnectionSummary, "id" | "name" | "type" | "status" | "createdByName" | "usedBy"> & {
  /** Named on the server: the labels live beside the types' zod schemas, which the list must not load. */
  typeLabel: string;
  /** What Reauthorize does (ConnectionSummary's reauthorize); absent: nothing for this type. */
  reauthorize?: "consent" | "new_token";
  /** The credential's expiry in words ("expires in 12 days"), worded on the server so both renders agree. */
  expiryText?: string;
  /** Within the Needs attention window (14 days) or past. */
  expirySoon?: true;
  lastVerifiedAt?: string;
  /** The stored reason the last verification failed, shown under the status. */
  verifyFailure?: string;
  /** The access token's scopes and expiry, for a connection holding one. */
  token?: { scopes: string[] | null; expiresAt: string | null };
};

export function toConnectionRow(c: ConnectionSummary, now = new Date()): ConnectionRowData {
  const expiresAt = c.health.expiresAt;
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    typeLabel: CONNECTION_TYPE_LABELS[c.type],
    status: c.status,
    createdByName: c.createdByName,
    usedBy: c.usedBy,
    ...(c.reauthorize && { reauthorize: c.reauthorize }),
    ...(expiresAt && { expiryText: expiryInDays(expiresAt, now) }),
    ...(expiresWithinAttentionWindow(expiresAt, now) && { expirySoon: true }),
    ...(c.lastVerifiedAt && { lastVerifiedAt: c.lastVerifiedAt.toISOString() }),
    ...(c.lastVerifyOk === false && c.lastVerifyMessage && { verifyFailure: c.lastVerifyMessage }),
    ...(c.holdsToken && { token: { scopes: c.grantedScopes, expiresAt: c.tokenExpiresAt?.toISOString() ?? null } }),
  };
}
