import { CONNECTION_STATUS_LABELS, type ConnectionStatus } from "@/lib/connections/status";

const STATUS_CLASSES: Record<ConnectionStatus, string> = {
  verified: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  needs_reauthorization: "bg-amber-100 text-amber-900",
  needs_credentials: "bg-amber-100 text-amber-900",
  never_verified: "bg-zinc-100 text-zinc-700",
};

/** A connection's status in words on its colour, in the list and on its page. */
export function ConnectionStatusBadge({ status, testId = "status" }: { status: ConnectionStatus; testId?: string }) {
  return (
    <span className={`badge ${STATUS_CLASSES[status]}`} data-testid={testId}>
      {CONNECTION_STATUS_LABELS[status]}
    </span>
  );
}
