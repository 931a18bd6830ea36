"use client";
import { useSyncExternalStore } from "react";

/**
 * The browser's clock in whole seconds, shared by every subscriber (one timer), or null on the server and
 * during hydration: what counts down renders its fixed server text first, so hydration never mismatches.
 */

let nowSeconds = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      nowSeconds = Math.floor(Date.now() / 1000);
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function snapshot(): number {
  // Before the timer runs (first render), read the clock; afterwards the timer's value keeps renders consistent.
  if (!timer) nowSeconds = Math.floor(Date.now() / 1000);
  return nowSeconds;
}

export function useNowSeconds(): number | null {
  return useSyncExternalStore(subscribe, snapshot, () => null);
}
