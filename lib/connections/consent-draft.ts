/**
 * The unsaved form a "New connection…" started from (the request builder, or a flow with the step being
 * edited), kept in the tab's sessionStorage while the browser visits the OAuth provider, and handed back
 * once on return. Client-side only: the values never reach the server until the user saves them. A draft
 * is read once (taken, then removed) and expires with the consent it waits for, so an abandoned consent
 * never resurrects old edits later.
 */

/** Matches the server's consent lifetime (lib/connections/authorize.ts STATE_TTL_MS). */
export const CONSENT_DRAFT_TTL_MS = 10 * 60_000;
const PREFIX = "plugboard:consent-draft:";

export type ConsentDraftKey = { form: "request-builder" } | { form: "flow"; flowId: string | null };

export type ConsentDraft<T> = {
  values: T;
  /** The flow step whose connection picker started the creation. */
  stepIndex?: number;
};

type Stored<T> = ConsentDraft<T> & { savedAt: number };

export function consentDraftStorageKey(key: ConsentDraftKey): string {
  return key.form === "flow" ? `${PREFIX}flow:${key.flowId ?? "new"}` : `${PREFIX}${key.form}`;
}

export function keepConsentDraft<T>(storage: Pick<Storage, "setItem">, key: ConsentDraftKey, draft: ConsentDraft<T>, now = Date.now()): void {
  const stored: Stored<T> = { ...draft, savedAt: now };
  try {
    storage.setItem(consentDraftStorageKey(key), JSON.stringify(stored));
  } catch {
    // Storage full or disabled: the consent still works, only the unsaved edits are not kept.
  }
}

/** The kept draft, removed as it is read; null when there is none, it expired or it is unreadable. */
export function takeConsentDraft<T>(
  storage: Pick<Storage, "getItem" | "removeItem">,
  key: ConsentDraftKey,
  now = Date.now(),
): ConsentDraft<T> | null {
  const name = consentDraftStorageKey(key);
  const raw = storage.getItem(name);
  if (raw === null) return null;
  storage.removeItem(name);
  try {
    const stored = JSON.parse(raw) as Partial<Stored<T>>;
    if (typeof stored !== "object" || stored === null || typeof stored.savedAt !== "number" || !("values" in stored)) return null;
    if (now - stored.savedAt > CONSENT_DRAFT_TTL_MS || stored.savedAt > now) return null;
    const stepIndex = Number.isInteger(stored.stepIndex) && (stored.stepIndex as number) >= 0 ? stored.stepIndex : undefined;
    return { values: stored.values as T, stepIndex };
  } catch {
    return null;
  }
}
