"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { RETURN_PARAM_CONNECTION, RETURN_PARAM_CONSENT } from "@/lib/connections/return-path";
import { ConnectionActions } from "./connection-actions";
import { ConnectionDialog } from "./lazy-connection-dialog";
import type { ConnectionRowData } from "./connection-row";

/** The connection page's actions: the list row's, with the edit dialog here and the list as the place to go after Delete. */
export function ConnectionPageActions({ connection, callbackUrl }: { connection: ConnectionRowData; callbackUrl: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  // Back from a Reauthorize consent: the callback's parameters have done their work (the notice says the outcome).
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.has(RETURN_PARAM_CONNECTION) || url.searchParams.has(RETURN_PARAM_CONSENT)) router.replace(url.pathname, { scroll: false });
  }, [router]);
  return (
    <div>
      <ConnectionActions
        connection={connection}
        align="start"
        returnPath={`/connections/${connection.id}`}
        onEdit={() => setEditing(true)}
        onDeleted={() => router.push("/connections")}
      />
      {editing && (
        <ConnectionDialog
          target={{ mode: "edit", connection }}
          callbackUrl={callbackUrl}
          onClose={() => {
            setEditing(false);
            router.refresh();
          }}
        />
      )}
    </div>
  );
}
