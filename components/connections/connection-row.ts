import type { ConnectionSummary } from "@/lib/connections";

/** What the client gets of a connection: plain values, no secrets (ConnectionSummary holds none). */
export type ConnectionRowData = Omit<ConnectionSummary, "lastVerifiedAt" | "tokenExpiresAt" | "createdAt"> & {
  lastVerifiedAt: string | null;
  tokenExpiresAt: string | null;
  createdAt: string;
};

export function toConnectionRow(c: ConnectionSummary): ConnectionRowData {
  return {
    ...c,
    lastVerifiedAt: c.lastVerifiedAt?.toISOString() ?? null,
    tokenExpiresAt: c.tokenExpiresAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}
