import type { ExchangeTiming, TimingPhaseName, Timings } from "./types";

/**
 * Places request timings on one horizontal axis, as percentages, for the waterfall the response view and
 * a flow step's view draw. Pure and client-safe.
 */

export const PHASE_LABELS: Record<TimingPhaseName, string> = {
  dns: "DNS lookup",
  connect: "TCP connect",
  tls: "TLS handshake",
  ttfb: "Waiting (TTFB)",
  download: "Download",
};

/** A bar this narrow is still seen (a 0.2 ms DNS answer next to a 2 s download). */
const MIN_WIDTH_PCT = 0.5;

export interface AxisBar {
  leftPct: number;
  widthPct: number;
}

/** Maps [startMs, startMs + durationMs] onto an axis of extentMs, keeping every bar inside 0–100 %. */
export function placeOnAxis(startMs: number, durationMs: number, extentMs: number): AxisBar {
  const extent = extentMs > 0 ? extentMs : 1;
  const leftPct = clamp((Math.max(0, startMs) / extent) * 100, 0, 100 - MIN_WIDTH_PCT);
  const widthPct = clamp((Math.max(0, durationMs) / extent) * 100, MIN_WIDTH_PCT, 100 - leftPct);
  return { leftPct, widthPct };
}

/** Round tick values (1, 2 or 5 × 10ⁿ ms apart), at most about `most` of them, from 0 to the extent. */
export function axisTicks(extentMs: number, most = 5): number[] {
  if (!(extentMs > 0)) return [0];
  const raw = extentMs / most;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = 0; t <= extentMs + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return ticks;
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export interface WaterfallRow {
  key: string;
  /** "Attempt 2, redirect 1, page 3" — empty for a lone request. */
  label: string;
  reusedConnection: boolean;
  status?: number;
  bars: Array<AxisBar & { name: TimingPhaseName; label: string; durationMs: number }>;
}

export interface Waterfall {
  extentMs: number;
  rows: WaterfallRow[];
  waits: Array<AxisBar & { label: string; durationMs: number }>;
}

/** The waterfall of one run's requests; null when there is nothing to draw (an older run, nothing sent). */
export function layoutWaterfall(timings: Pick<Timings, "totalMs" | "exchanges" | "waits">): Waterfall | null {
  const exchanges = (timings.exchanges ?? []).filter((e) => e.phases.length > 0);
  if (exchanges.length === 0) return null;
  const ends = exchanges.flatMap((e) => e.phases.map((p) => p.startMs + p.durationMs));
  const extentMs = Math.max(timings.totalMs, ...ends);
  const lone = exchanges.length === 1;
  return {
    extentMs,
    rows: exchanges.map((e, i) => ({
      key: `${e.page ?? 0}-${e.attempt}-${e.hop}-${i}`,
      label: lone ? "" : exchangeLabel(e, exchanges),
      reusedConnection: e.reusedConnection,
      status: e.status,
      bars: e.phases.map((p) => ({
        name: p.name,
        label: PHASE_LABELS[p.name],
        durationMs: p.durationMs,
        ...placeOnAxis(p.startMs, p.durationMs, extentMs),
      })),
    })),
    waits: (timings.waits ?? []).map((w) => ({
      label: `Wait before retry (${w.reason})`,
      durationMs: w.durationMs,
      ...placeOnAxis(w.startMs, w.durationMs, extentMs),
    })),
  };
}

function exchangeLabel(e: ExchangeTiming, all: ExchangeTiming[]): string {
  const parts: string[] = [];
  if (e.page !== undefined) parts.push(`Page ${e.page}`);
  if (all.some((o) => o.attempt > 1 && o.page === e.page)) parts.push(`attempt ${e.attempt}`);
  if (e.hop > 0) parts.push(`redirect ${e.hop}`);
  const text = parts.join(", ") || "Request";
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}
