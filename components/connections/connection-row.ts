import type { ConnectionSummary } from "@/lib/connections";
import { CONNECTION_TYPE_LABELS } from "@/lib/connections/schemas";
import { expiresWithinAttentionWindow, expiryInDays } from "@/lib/health/expiry";

/**
 * What the client gets of a connection for its list row and actions: plain values, no secrets
 * (ConnectionSummary holds none), and only what they show or act on. Every field is sent twice for each of
 * the list's rows (in its HTML and its RSC payload), so facts the row does not show stay on the server.
 */
export type ConnectionRowData = Pick<ConnectionSummary, "id" | "name" | "type" | "status" | "createdByName" | "usedBy" | "reauthorize"> & {
  /** Named on the server: the labels live beside the types' zod schemas, which the list must not load. */
  typeLabel: string;
  /** The credential's expiry in words ("expires in 12 days"), worded on the server so both renders agree. */
  expiryText: string | null;
  /** Within the Needs attention window (14 days) or past. */
  expirySoon: boolean;
  lastVerifiedAt: string | null;
  /** The stored reason the last verification failed, shown under the status. */
  verifyFailure: string | null;
  /** The access token's scopes and expiry, for a connection holding one. */
  token: { scopes: string[] | null; expiresAt: string | null } | null;
};

export function toConnectionRow(c: ConnectionSummary, now = new Date()): ConnectionRowData {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    typeLabel: CONNECTION_TYPE_LABELS[c.type],
    expiryText: c.health.expiresAt ? expiryInDays(c.health.expiresAt, now) : null,
    expirySoon: expiresWithinAttentionWindow(c.health.expiresAt, now),
    status: c.status,
    lastVerifiedAt: c.lastVerifiedAt?.toISOString() ?? null,
    verifyFailure: c.lastVerifyOk === false ? c.lastVerifyMessage : null,
    token: c.holdsToken ? { scopes: c.grantedScopes, expiresAt: c.tokenExpiresAt?.toISOString() ?? null } : null,
    createdByName: c.createdByName,
    usedBy: c.usedBy,
    reauthorize: c.reauthorize,
  };
}
