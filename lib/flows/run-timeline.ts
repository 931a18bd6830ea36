import { type AxisBar, placeOnAxis } from "@/lib/http/timing-layout";
import type { StepTiming } from "./step-timing";

/**
 * Places a run's steps on one time axis for the run page: each step a bar from its start, with its
 * attempts and the waits between them (retry delays, a full outbound queue) as segments. Pure and
 * client-safe; the inputs are the stored step records.
 */

export interface TimelineStepInput {
  stepName: string;
  status: string;
  durationMs: number;
  timing: StepTiming | null;
}

export interface TimelineSegment extends AxisBar {
  kind: "attempt" | "wait";
  label: string;
  startMs: number;
  durationMs: number;
}

export interface TimelineRow extends AxisBar {
  stepName: string;
  status: string;
  startMs: number;
  durationMs: number;
  attempts: number;
  /** Shown only when there is something inside the step to tell apart: several attempts or a wait. */
  segments: TimelineSegment[];
}

export interface RunTimeline {
  extentMs: number;
  rows: TimelineRow[];
}

export function layoutRunTimeline(steps: TimelineStepInput[], runDurationMs: number | null): RunTimeline {
  // Records from before timing was kept: one after another, which is how the runner ran them.
  let cursor = 0;
  const placed = steps.map((s) => {
    const startMs = s.timing?.startMs ?? cursor;
    const durationMs = s.timing?.durationMs ?? s.durationMs;
    cursor = startMs + durationMs;
    return { step: s, startMs, durationMs, inner: innerSegments(s.timing) };
  });
  const extentMs = Math.max(runDurationMs ?? 0, ...placed.map((p) => p.startMs + p.durationMs), 1);
  return {
    extentMs,
    rows: placed.map(({ step, startMs, durationMs, inner }) => {
      const attempts = inner.filter((s) => s.kind === "attempt").length;
      const segments = attempts > 1 || inner.some((s) => s.kind === "wait") ? inner : [];
      return {
        stepName: step.stepName,
        status: step.status,
        startMs,
        durationMs,
        attempts,
        ...placeOnAxis(startMs, durationMs, extentMs),
        segments: segments.map((seg) => ({
          ...seg,
          startMs: startMs + seg.startMs,
          ...placeOnAxis(startMs + seg.startMs, seg.durationMs, extentMs),
        })),
      };
    }),
  };
}

type InnerSegment = { kind: "attempt" | "wait"; label: string; startMs: number; durationMs: number };

/** A step's attempts (each spanning its requests, redirects included) and waits, from the step's start. */
function innerSegments(timing: StepTiming | null): InnerSegment[] {
  if (!timing) return [];
  const spans = new Map<string, { page?: number; attempt: number; start: number; end: number; status?: number }>();
  for (const e of timing.exchanges) {
    const key = `${e.page ?? 0}:${e.attempt}`;
    const end = Math.max(e.startMs, ...e.phases.map((p) => p.startMs + p.durationMs));
    const span = spans.get(key);
    if (!span) spans.set(key, { page: e.page, attempt: e.attempt, start: e.startMs, end, status: e.status });
    else {
      span.start = Math.min(span.start, e.startMs);
      span.end = Math.max(span.end, end);
      span.status = e.status ?? span.status;
    }
  }
  const attempts: InnerSegment[] = [...spans.values()].map((s) => ({
    kind: "attempt",
    label: `${s.page !== undefined ? `Page ${s.page}, attempt` : "Attempt"} ${s.attempt}${s.status !== undefined ? ` (HTTP ${s.status})` : ""}`,
    startMs: s.start,
    durationMs: s.end - s.start,
  }));
  const waits: InnerSegment[] = timing.waits.map((w) => ({
    kind: "wait",
    label: w.reason === "busy" ? "Waiting for a free outbound slot" : `Wait before retry (${w.reason})`,
    startMs: w.startMs,
    durationMs: w.durationMs,
  }));
  return [...attempts, ...waits].sort((a, b) => a.startMs - b.startMs);
}
