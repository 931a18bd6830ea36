"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { RunRequestInput } from "@/lib/requests/schemas";
import { HistoryPanel, type HistoryRow, type SavedRow } from "./history-panel";
import { EMPTY_REQUEST, RequestBuilder, type ConnectionOption } from "./request-builder";

/** The builder with the team's history and saved requests; opening one loads it into the form. */
export function RequestsWorkspace({
  connections,
  runs,
  saved,
  retention,
  callbackUrl,
  variableNames,
}: {
  connections: ConnectionOption[];
  runs: HistoryRow[];
  saved: SavedRow[];
  /** How long history entries are kept, in words. */
  retention: string;
  /** The OAuth callback URL, for "New connection…" in the builder. */
  callbackUrl?: string;
  /** The team's variable names, offered as {{vars.NAME}}. */
  variableNames?: string[];
}) {
  const router = useRouter();
  const [loaded, setLoaded] = useState<RunRequestInput | undefined>();
  // While a history entry loads, the builder takes no typing: the entry would replace it.
  const [opening, startOpening] = useTransition();
  return (
    <div className="space-y-10">
      <RequestBuilder
        connections={connections}
        initial={loaded}
        busy={opening}
        onRan={() => router.refresh()}
        callbackUrl={callbackUrl}
        variableNames={variableNames}
      />
      <HistoryPanel
        runs={runs}
        saved={saved}
        retention={retention}
        opening={opening}
        startOpening={startOpening}
        onOpen={(input) =>
          setLoaded({ ...input, spec: { ...EMPTY_REQUEST.spec, ...input.spec }, pagination: input.pagination ?? EMPTY_REQUEST.pagination })
        }
      />
    </div>
  );
}
