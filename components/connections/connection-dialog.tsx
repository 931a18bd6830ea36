"use client";
import * as Dialog from "@radix-ui/react-dialog";
import { useEffect, useState } from "react";
import { loadConnectionFormAction } from "@/app/(app)/connections/actions";
import { listVariableNamesAction } from "@/app/(app)/team/variables/actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { CONNECTION_TYPE_LABELS, CONNECTION_TYPES, type ConnectionFormDefaults, type ConnectionType } from "@/lib/connections/schemas";
import { connectionTypeForm } from "@/lib/connections/types/forms";
import type { ConnectionRowData } from "./connection-row";
import { ConnectionForm, type SavedConnection } from "./connection-form";

export type DialogTarget = { mode: "create" } | { mode: "edit"; connection: ConnectionRowData };

/** Create (type first, then its form) or edit (the stored type's form, secrets empty). Close changes nothing. */
export function ConnectionDialog({
  target,
  callbackUrl,
  onClose,
  inPlace,
}: {
  target: DialogTarget;
  callbackUrl: string;
  onClose: () => void;
  /** Opened from a picker ("New connection…"): told the created connection; consent returns to `returnPath`. */
  inPlace?: { returnPath: string; onBeforeConsent: () => void; onCreated: (saved: SavedConnection) => void };
}) {
  const [type, setType] = useState<ConnectionType | null>(target.mode === "edit" ? target.connection.type : null);
  const [defaults, setDefaults] = useState<ConnectionFormDefaults | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const editId = target.mode === "edit" ? target.connection.id : undefined;
  // The team's variables, offered for the Test URL and Host once a type's form is shown (none when the read fails).
  const [variableNames, setVariableNames] = useState<string[]>([]);
  const formShown = type !== null;

  useEffect(() => {
    if (!formShown) return;
    let live = true;
    void listVariableNamesAction({}).then((r) => live && r.ok && setVariableNames(r.data));
    return () => {
      live = false;
    };
  }, [formShown]);

  useEffect(() => {
    if (!editId) return;
    let live = true;
    void loadConnectionFormAction({ connectionId: editId }).then((r) => {
      if (!live) return;
      if (r.ok) setDefaults(r.data);
      else setLoadError(r.error);
    });
    return () => {
      live = false;
    };
  }, [editId]);

  const title =
    target.mode === "edit" ? `Edit ${target.connection.name}` : type ? `New ${CONNECTION_TYPE_LABELS[type]} connection` : "New connection";
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <Dialog.Content className="fixed left-1/2 top-8 z-50 max-h-[calc(100vh-4rem)] w-[min(44rem,calc(100vw-2rem))] -translate-x-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-zinc-600">
            {target.mode === "edit"
              ? "Stored secrets are never shown: enter them again. Saving replaces the credentials; Close keeps the current ones."
              : "Secrets are encrypted on the server and never shown again."}
          </Dialog.Description>
          {target.mode === "edit" && target.connection.usedBy.length > 0 && (
            <p role="note" className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              Used by {target.connection.usedBy.join(", ")}: they will use the new credentials as soon as you save.
            </p>
          )}
          <div className="mt-4">
            {!type ? (
              <fieldset className="space-y-2">
                <legend className="mb-2 text-sm font-medium">Connection type</legend>
                {CONNECTION_TYPES.map((t) => (
                  <button
                    key={t}
                    type="button"
                    onClick={() => setType(t)}
                    className="block w-full rounded-md border border-zinc-200 px-4 py-3 text-left hover:border-indigo-400 hover:bg-indigo-50"
                  >
                    <span className="block font-medium">{CONNECTION_TYPE_LABELS[t]}</span>
                    <span className="block text-sm text-zinc-600">{connectionTypeForm(t).description}</span>
                  </button>
                ))}
              </fieldset>
            ) : target.mode === "edit" && !defaults ? (
              loadError ? (
                <FormMessage error={loadError} />
              ) : (
                <p className="text-sm text-zinc-500">Loading…</p>
              )
            ) : (
              <ConnectionForm
                type={type}
                connectionId={editId}
                defaults={defaults ?? undefined}
                callbackUrl={callbackUrl}
                variableNames={variableNames}
                onSaved={inPlace?.onCreated ?? onClose}
                returnPath={inPlace?.returnPath}
                onBeforeConsent={inPlace?.onBeforeConsent}
              />
            )}
          </div>
          <div className="mt-4 flex justify-end gap-2 border-t border-zinc-100 pt-4">
            {target.mode === "create" && type && (
              <Button variant="ghost" onClick={() => setType(null)}>
                Change type
              </Button>
            )}
            <Dialog.Close asChild>
              <Button variant="secondary">Close</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
