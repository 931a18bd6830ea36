"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False on the server and during hydration, true afterwards: what depends on the browser (its time
 * zone, locale, clock or Intl data) renders only then, so the HTML the server sent always matches the
 * first client render and React never reports a hydration mismatch (#418).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
