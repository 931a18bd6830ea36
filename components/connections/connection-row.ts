import type { ConnectionSummary } from "@/lib/connections";
import { CONNECTION_TYPE_LABELS } from "@/lib/connections/schemas";
import { expiresWithinAttentionWindow, expiryInDays } from "@/lib/health/expiry";

/** What the client gets of a connection: plain values, no secrets (ConnectionSummary holds none). */
export type ConnectionRowData = Omit<ConnectionSummary, "lastVerifiedAt" | "tokenExpiresAt" | "createdAt" | "health"> & {
  /** The credential's expiry in words ("expires in 12 days"), worded on the server so both renders agree. */
  expiryText: string | null;
  /** Within the Needs attention window (14 days) or past. */
  expirySoon: boolean;
  lastVerifiedAt: string | null;
  tokenExpiresAt: string | null;
  createdAt: string;
  /** Named on the server: the labels live beside the types' zod schemas, which the list must not load. */
  typeLabel: string;
};

export function toConnectionRow(c: ConnectionSummary, now = new Date()): ConnectionRowData {
  const { health, ...rest } = c;
  return {
    ...rest,
    expiryText: health.expiresAt ? expiryInDays(health.expiresAt, now) : null,
    expirySoon: expiresWithinAttentionWindow(health.expiresAt, now),
    lastVerifiedAt: c.lastVerifiedAt?.toISOString() ?? null,
    tokenExpiresAt: c.tokenExpiresAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    typeLabel: CONNECTION_TYPE_LABELS[c.type],
  };
}
