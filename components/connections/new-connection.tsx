"use client";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { type ConsentDraft, type ConsentDraftKey, takeConsentDraft } from "@/lib/connections/consent-draft";
import { RETURN_PARAM_CONNECTION, RETURN_PARAM_CONSENT } from "@/lib/connections/return-path";
import { ConnectionDialog } from "./lazy-connection-dialog";
import type { SavedConnection } from "./connection-form";

/**
 * "New connection…" beside a connection picker: the Connections tab's own create dialog, in place. A
 * consent (authorization code) leaves for the provider and comes back to this page: `onBeforeConsent`
 * keeps the unsaved form first (see useConsentReturn).
 */
export function NewConnection({
  callbackUrl,
  label = "New connection…",
  onCreated,
  onBeforeConsent,
}: {
  callbackUrl: string;
  label?: string;
  onCreated: (saved: SavedConnection) => void;
  onBeforeConsent: () => void;
}) {
  const [open, setOpen] = useState(false);
  // Null only under the Pages Router (pages/sign-in.tsx), which never renders this.
  const pathname = usePathname() ?? "/connections";
  return (
    <>
      <Button type="button" size="sm" variant="ghost" onClick={() => setOpen(true)}>
        {label}
      </Button>
      {open && (
        // React sends a portal's events up the component tree: the dialog's submit and keys must not
        // reach the surrounding form (which would run the request or save the flow).
        // biome-ignore lint/a11y/noStaticElementInteractions: only stops events bubbling out of the dialog.
        <div className="contents" onSubmit={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
          <ConnectionDialog
            target={{ mode: "create" }}
            callbackUrl={callbackUrl}
            onClose={() => setOpen(false)}
            inPlace={{
              returnPath: pathname,
              onBeforeConsent,
              onCreated: (saved) => {
                setOpen(false);
                onCreated(saved);
              },
            }}
          />
        </div>
      )}
    </>
  );
}

/** A connection id, as the callback puts it in the return URL. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Back from a consent started by NewConnection: once after mount, takes the kept draft and the created
 * connection's id from the URL (`?connection=` or `?consent=failed`), removes those parameters (a reload
 * does not apply them again) and hands both to `onReturn`.
 */
export function useConsentReturn<T>(key: ConsentDraftKey, onReturn: (back: { draft: ConsentDraft<T> | null; connectionId: string | null }) => void) {
  const router = useRouter();
  const latest = useRef({ key, onReturn, router });
  latest.current = { key, onReturn, router };
  useEffect(() => {
    const url = new URL(window.location.href);
    const created = url.searchParams.get(RETURN_PARAM_CONNECTION);
    if (created === null && url.searchParams.get(RETURN_PARAM_CONSENT) !== "failed") return;
    url.searchParams.delete(RETURN_PARAM_CONNECTION);
    url.searchParams.delete(RETURN_PARAM_CONSENT);
    // Through the router (not history.replaceState): a later refresh (the notice's dismissal) would put them back.
    latest.current.router.replace(`${url.pathname}${url.search}${url.hash}`, { scroll: false });
    const draft = takeConsentDraft<T>(window.sessionStorage, latest.current.key);
    latest.current.onReturn({ draft, connectionId: created && UUID.test(created) ? created : null });
    // Once, on mount: the return parameters are in the URL the page was loaded with.
  }, []);
}

/**
 * A picker's options with the connections created in place added (until the server's list has them), and
 * a way to select one once its option is rendered: a native select cannot take a value it has no option for.
 */
export function useCreatedConnections<T extends { id: string; name: string; type: string }>(connections: T[]) {
  const [created, setCreated] = useState<SavedConnection[]>([]);
  const [pending, setPending] = useState<{ id: string; select: (id: string) => void } | null>(null);
  const options = useMemo(
    () => [...connections, ...created.filter((c) => !connections.some((listed) => listed.id === c.id))],
    [connections, created],
  );
  useEffect(() => {
    if (!pending || !options.some((o) => o.id === pending.id)) return;
    pending.select(pending.id);
    setPending(null);
  }, [pending, options]);
  return {
    options,
    /** Lists `saved` and selects it with `select` once listed. */
    add: (saved: SavedConnection, select: (id: string) => void) => {
      setCreated((list) => [...list, saved]);
      setPending({ id: saved.id, select });
    },
    /** Selects an already listed connection (one the server rendered after a consent) once listed. */
    selectWhenListed: (id: string, select: (id: string) => void) => setPending({ id, select }),
  };
}
