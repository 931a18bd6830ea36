import { formatMs, layoutWaterfall } from "@/lib/http/timing-layout";
import type { TimingPhaseName, Timings } from "@/lib/http/types";

const PHASE_COLORS: Record<TimingPhaseName, string> = {
  dns: "bg-teal-500",
  connect: "bg-orange-500",
  tls: "bg-purple-500",
  ttfb: "bg-emerald-500",
  download: "bg-sky-500",
};

/**
 * The phases of a run's requests as a small waterfall (bars on one time axis, like a browser's network
 * panel), drawn as a table so every phase is also read out with its name and milliseconds.
 */
export function TimingWaterfall({ timings }: { timings: Pick<Timings, "totalMs" | "exchanges" | "waits"> }) {
  const waterfall = layoutWaterfall(timings);
  if (!waterfall) return null;
  return (
    <details open data-testid="timing-waterfall">
      <summary className="cursor-pointer text-sm font-medium">Timing</summary>
      <table className="mt-2 w-full max-w-2xl table-fixed text-xs">
        <caption className="sr-only">Request phases, {formatMs(waterfall.extentMs)} in all</caption>
        <colgroup>
          <col className="w-32" />
          <col />
          <col className="w-16" />
        </colgroup>
        <tbody>
          {waterfall.rows.map((row) => [
            row.label || row.reusedConnection ? (
              <tr key={`${row.key}-head`}>
                <th colSpan={3} scope="rowgroup" className="pt-1 text-left font-medium text-zinc-600">
                  {row.label}
                  {row.status !== undefined && row.label ? ` (HTTP ${row.status})` : ""}
                  {row.reusedConnection && (
                    <span className="font-normal text-zinc-500" data-testid="reused-connection">
                      {row.label ? " — " : ""}reused connection: no DNS, connect or TLS
                    </span>
                  )}
                </th>
              </tr>
            ) : null,
            ...row.bars.map((bar) => (
              <tr key={`${row.key}-${bar.name}`} data-testid={`phase-${bar.name}`}>
                <th scope="row" className="truncate pr-2 text-left font-normal text-zinc-600">
                  {bar.label}
                </th>
                <td aria-hidden="true" className="py-0.5">
                  <div className="relative h-2.5 rounded-sm bg-zinc-100">
                    <div
                      className={`absolute inset-y-0 rounded-sm ${PHASE_COLORS[bar.name]}`}
                      style={{ left: `${bar.leftPct}%`, width: `${bar.widthPct}%` }}
                    />
                  </div>
                </td>
                <td className="pl-2 text-right font-mono tabular-nums">{formatMs(bar.durationMs)}</td>
              </tr>
            )),
          ])}
          {waterfall.waits.map((wait, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the waits of one run, in the order they happened.
            <tr key={`wait-${i}`} data-testid="phase-wait">
              <th scope="row" className="truncate pr-2 text-left font-normal text-zinc-600" title={wait.label}>
                {wait.label}
              </th>
              <td aria-hidden="true" className="py-0.5">
                <div className="relative h-2.5 rounded-sm bg-zinc-100">
                  <div
                    className="absolute inset-y-0 rounded-sm bg-[repeating-linear-gradient(45deg,#a1a1aa_0,#a1a1aa_3px,transparent_3px,transparent_6px)]"
                    style={{ left: `${wait.leftPct}%`, width: `${wait.widthPct}%` }}
                  />
                </div>
              </td>
              <td className="pl-2 text-right font-mono tabular-nums">{formatMs(wait.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
