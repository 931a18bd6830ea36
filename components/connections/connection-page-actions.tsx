"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConnectionActions } from "./connection-actions";
import { ConnectionDialog } from "./connection-dialog";
import type { ConnectionRowData } from "./connection-row";

/** The connection page's actions: the list row's, with the edit dialog here and the list as the place to go after Delete. */
export function ConnectionPageActions({ connection, callbackUrl }: { connection: ConnectionRowData; callbackUrl: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  return (
    <div>
      <ConnectionActions connection={connection} align="start" onEdit={() => setEditing(true)} onDeleted={() => router.push("/connections")} />
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
