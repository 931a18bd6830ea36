import { describe, expect, it } from "vitest";
import { CONSENT_DRAFT_TTL_MS, consentDraftStorageKey, keepConsentDraft, takeConsentDraft } from "./consent-draft";

/** sessionStorage's contract, in memory. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

describe("consent drafts", () => {
  it("hands the kept form back once, then forgets it", () => {
    const storage = memoryStorage();
    const key = { form: "flow", flowId: "f1" } as const;
    keepConsentDraft(storage, key, { values: { steps: [{ spec: { url: "http://127.0.0.1/users" } }] }, stepIndex: 0 }, 1_000);
    expect(takeConsentDraft(storage, key, 2_000)).toEqual({ values: { steps: [{ spec: { url: "http://127.0.0.1/users" } }] }, stepIndex: 0 });
    expect(takeConsentDraft(storage, key, 2_000)).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it("keeps each form's draft apart: the builder, each flow, a new flow", () => {
    const storage = memoryStorage();
    keepConsentDraft(storage, { form: "request-builder" }, { values: "builder" });
    keepConsentDraft(storage, { form: "flow", flowId: null }, { values: "new flow" });
    keepConsentDraft(storage, { form: "flow", flowId: "f2" }, { values: "flow f2" });
    expect(takeConsentDraft(storage, { form: "flow", flowId: "f1" })).toBeNull();
    expect(takeConsentDraft(storage, { form: "flow", flowId: null })?.values).toBe("new flow");
    expect(takeConsentDraft(storage, { form: "request-builder" })?.values).toBe("builder");
    expect(takeConsentDraft(storage, { form: "flow", flowId: "f2" })?.values).toBe("flow f2");
  });

  it("drops an expired or unreadable draft (and removes it)", () => {
    const storage = memoryStorage();
    const key = { form: "request-builder" } as const;
    keepConsentDraft(storage, key, { values: 1 }, 0);
    expect(takeConsentDraft(storage, key, CONSENT_DRAFT_TTL_MS + 1)).toBeNull();
    expect(storage.items.size).toBe(0);
    storage.setItem(consentDraftStorageKey(key), "{not json");
    expect(takeConsentDraft(storage, key)).toBeNull();
    storage.setItem(consentDraftStorageKey(key), JSON.stringify({ values: 1, savedAt: Date.now(), stepIndex: -2 }));
    expect(takeConsentDraft(storage, key)).toEqual({ values: 1, stepIndex: undefined });
  });

  it("a storage that refuses writes does not break the consent", () => {
    const full = {
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => keepConsentDraft(full, { form: "request-builder" }, { values: 1 })).not.toThrow();
  });
});
