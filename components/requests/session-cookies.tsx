"use client";
import dynamic from "next/dynamic";
import { useCallback, useEffect, useState } from "react";
import { builderCookiesAction, clearBuilderCookiesAction } from "@/app/(app)/requests/actions";
import type { CookieSummary } from "@/lib/http/types";

/** The tab's builder session and whether it keeps cookies: a reload keeps both, another tab has its own. */
const STORAGE_KEY = "plugboard:builder-cookies";

type Stored = { session: string; keep: boolean };

export type BuilderCookies = {
  keep: boolean;
  setKeep: (keep: boolean) => void;
  /** What a run sends as `cookieSession`: the tab's session while Keep cookies is on, else null. */
  cookieSession: string | null;
  cookies: CookieSummary[];
  /** The jar after a run, as its answer lists it. */
  setCookies: (cookies: CookieSummary[]) => void;
  clear: () => Promise<void>;
  error: string | null;
};

/** The request builder's "Keep cookies between requests": the jar lives on the server, keyed by this tab's session id. */
export function useBuilderCookies(): BuilderCookies {
  const [stored, setStored] = useState<Stored | null>(null);
  const [cookies, setCookies] = useState<CookieSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const saved = readStored();
    if (!saved) return;
    setStored(saved);
    if (saved.keep) {
      void builderCookiesAction({ session: saved.session }).then((result) => (result.ok ? setCookies(result.data) : setError(result.error)));
    }
  }, []);

  const setKeep = useCallback((keep: boolean) => {
    setStored((current) => {
      const next = { session: current?.session ?? newSessionId(), keep };
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      return next;
    });
  }, []);

  const clear = useCallback(async () => {
    if (!stored) return;
    const result = await clearBuilderCookiesAction({ session: stored.session });
    if (result.ok) {
      setCookies([]);
      setError(null);
    } else setError(result.error);
  }, [stored]);

  return { keep: !!stored?.keep, setKeep, cookieSession: stored?.keep ? stored.session : null, cookies, setCookies, clear, error };
}

// The list, its Clear button and the time format load only once the box is checked: the builder's first-load
// JavaScript stays within its budget (e2e/js-budget.spec.ts).
const KeptCookies = dynamic(() => import("./kept-cookies").then((m) => m.KeptCookies), { ssr: false });

export function SessionCookies({ state }: { state: BuilderCookies }) {
  return (
    <div className="rounded-md border border-zinc-200 p-3" data-testid="builder-cookies">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={state.keep} onChange={(e) => state.setKeep(e.target.checked)} /> Keep cookies between requests
      </label>
      {state.keep && <KeptCookies state={state} />}
    </div>
  );
}

function readStored(): Stored | null {
  try {
    const value = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? "null") as Partial<Stored> | null;
    return value && typeof value.session === "string" && /^[0-9a-f-]{36}$/i.test(value.session)
      ? { session: value.session, keep: !!value.keep }
      : null;
  } catch {
    return null;
  }
}

/** A random UUID (v4) even where crypto.randomUUID is missing (a plain-http host is not a secure context). */
function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
