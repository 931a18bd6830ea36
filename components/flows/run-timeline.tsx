import { axisTicks, formatMs } from "@/lib/http/timing-layout";
import { layoutRunTimeline, type TimelineStepInput } from "@/lib/flows/run-timeline";

const BAR_COLORS: Record<string, string> = {
  succeeded: "bg-green-500",
  failed: "bg-red-500",
  running: "bg-blue-500",
  skipped: "bg-zinc-300",
};

/** The run's steps as bars on one time axis, with attempts and waits inside each bar; above the step list. */
export function RunTimeline({ steps, runDurationMs }: { steps: TimelineStepInput[]; runDurationMs: number | null }) {
  if (steps.length === 0) return null;
  const timeline = layoutRunTimeline(steps, runDurationMs);
  const ticks = axisTicks(timeline.extentMs);
  return (
    <section aria-label="Timeline" data-testid="run-timeline" className="mb-6 rounded-lg border border-zinc-200 bg-white p-4">
      <h2 className="mb-2 text-sm font-medium">Timeline</h2>
      <table className="w-full table-fixed text-xs">
        <caption className="sr-only">Steps on one time axis, {formatMs(timeline.extentMs)} in all</caption>
        <colgroup>
          <col className="w-28 sm:w-40" />
          <col />
          <col className="w-16" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="sr-only">
              Step
            </th>
            <th scope="col" className="relative h-4 font-normal text-zinc-500">
              <span className="sr-only">Time axis</span>
              {ticks.map((t) => (
                <span
                  key={t}
                  aria-hidden="true"
                  className="absolute top-0 -translate-x-1/2 tabular-nums"
                  style={{ left: `${(t / timeline.extentMs) * 100}%` }}
                >
                  {t === 0 ? "0" : formatMs(t)}
                </span>
              ))}
            </th>
            <th scope="col" className="sr-only">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {timeline.rows.map((row) => (
            <tr key={row.stepName} data-testid={`timeline-step-${row.stepName}`} data-status={row.status}>
              <th scope="row" className="truncate pr-2 text-left font-mono font-normal">
                {row.stepName}
                <span className="sr-only">
                  {`: ${row.status}, from ${formatMs(row.startMs)}`}
                  {row.attempts > 1 ? `, ${row.attempts} attempts` : ""}
                  {row.segments.map((s) => `; ${s.label} ${formatMs(s.durationMs)}`).join("")}
                </span>
              </th>
              <td className="py-1" aria-hidden="true">
                <div className="relative h-4 rounded-sm bg-zinc-50">
                  <div
                    data-testid="timeline-bar"
                    title={`${row.stepName}: ${row.status}, ${formatMs(row.durationMs)}`}
                    className={`absolute inset-y-0 rounded-sm ${BAR_COLORS[row.status] ?? "bg-zinc-400"} ${row.segments.length ? "opacity-40" : ""}`}
                    style={{ left: `${row.leftPct}%`, width: `${row.widthPct}%` }}
                  />
                  {row.segments.map((s) => (
                    <div
                      key={`${s.kind}-${s.startMs}`}
                      data-testid={`timeline-${s.kind}`}
                      title={`${s.label}: ${formatMs(s.durationMs)}`}
                      className={`absolute rounded-sm ${
                        s.kind === "attempt"
                          ? `inset-y-0 ${BAR_COLORS[row.status] ?? "bg-zinc-400"} ring-1 ring-white`
                          : "inset-y-1 bg-[repeating-linear-gradient(45deg,#71717a_0,#71717a_2px,transparent_2px,transparent_5px)]"
                      }`}
                      style={{ left: `${s.leftPct}%`, width: `${s.widthPct}%` }}
                    />
                  ))}
                </div>
              </td>
              <td className="pl-2 text-right font-mono tabular-nums">{row.status === "skipped" ? "skipped" : formatMs(row.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
