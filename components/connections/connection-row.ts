import type { ConnectionSummary } from "@/lib/connections";
import { CONNECTION_TYPE_LABELS } from "@/lib/connections/schemas";

/** What the client gets of a connection: plain values, no secrets (ConnectionSummary holds none). */
export type ConnectionRowData = Omit<ConnectionSummary, "lastVerifiedAt" | "tokenExpiresAt" | "createdAt"> & {
  lastVerifiedAt: string | null;
  tokenExpiresAt: string | null;
  createdAt: string;
  /** Named on the server: the labels live beside the types' zod schemas, which the list must not load. */
  typeLabel: string;
};

export function toConnectionRow(c: ConnectionSummary): ConnectionRowData {
  return {
    ...c,
    lastVerifiedAt: c.lastVerifiedAt?.toISOString() ?? null,
    tokenExpiresAt: c.tokenExpiresAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    typeLabel: CONNECTION_TYPE_LABELS[c.type],
  };
}
