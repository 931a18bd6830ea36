// Zod-free, so that the list and the status badge do not load zod (./schemas.ts re-exports these).
export const CONNECTION_STATUSES = ["never_verified", "verified", "failed", "needs_reauthorization", "needs_credentials"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
/** A status in words, as the list and the detail page show it. */
export const CONNECTION_STATUS_LABELS: Record<ConnectionStatus, string> = {
  verified: "Verified",
  failed: "Failed",
  needs_reauthorization: "Needs reauthorization",
  // Imported from a bundle without secrets (lib/bundle): saving the connection with its secrets clears it.
  needs_credentials: "Needs credentials",
  never_verified: "Saved, not checked",
};
