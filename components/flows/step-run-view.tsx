import type { FlowStepRunRow } from "@/db/schema";
import { TimingWaterfall } from "@/components/requests/timing-waterfall";
import { formatDuration, RunStatus } from "./run-status";
import { CodeBlock } from "@/components/ui/code-block";

type StoredRequest = {
  method?: string;
  url?: string;
  headers?: Array<{ key: string; value: string; enabled?: boolean }>;
  query?: Array<{ key: string; value: string; enabled?: boolean }>;
  body?: { type: string; text?: string; fields?: Array<Record<string, unknown>> };
  sent?: Array<{ method: string; url: string; headers: Record<string, string>; bodySize: number; protocol?: string; proxy?: string }>;
};

/** One executed step on the run page: the resolved request as sent (secrets masked) and the response. */
export function StepRunView({ step }: { step: FlowStepRunRow }) {
  const request = (step.request ?? {}) as StoredRequest;
  const sent = request.sent?.at(-1);
  return (
    <section
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4"
      aria-label={`Step ${step.stepName}`}
      data-testid={`step-run-${step.stepName}`}
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-mono text-base font-semibold">
          {step.position + 1}. {step.stepName}
        </h2>
        <RunStatus status={step.status} />
        {step.responseStatus !== null && (
          <span className="text-sm" data-testid="step-status">
            HTTP {step.responseStatus}
          </span>
        )}
        {sent?.protocol && (
          <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs" data-testid="step-protocol" title="HTTP version">
            {sent.protocol}
          </span>
        )}
        <span className="text-sm text-zinc-500">{formatDuration(step.durationMs)}</span>
        {step.connectionName && <span className="text-sm text-zinc-500">with {step.connectionName}</span>}
        {step.attempts && step.attempts > 1 ? <span className="text-sm text-zinc-500">{step.attempts} attempts</span> : null}
      </div>
      {step.error &&
        (step.status === "skipped" ? (
          // Not run is not a failure: grey, like its badge and its timeline bar.
          <p className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-600" data-testid="step-skipped-note">
            {step.error}
          </p>
        ) : (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {step.error}
          </p>
        ))}
      {step.timing && <TimingWaterfall timings={{ ...step.timing, totalMs: step.timing.durationMs }} />}
      {request.method && (
        <details open={step.status === "failed"}>
          <summary className="cursor-pointer text-sm font-medium">Request</summary>
          <div className="mt-2 space-y-2 text-xs">
            <p className="font-mono break-all" data-testid="step-request-url">
              {sent?.method ?? request.method} {sent?.url ?? request.url}
            </p>
            {sent?.proxy && <p data-testid="step-request-proxy">via {sent.proxy}</p>}
            {sent && <Headers values={sent.headers} />}
            {request.body?.type === "raw" && (
              <CodeBlock label="Request body" className="overflow-x-auto rounded bg-zinc-50 p-2">
                {request.body.text}
              </CodeBlock>
            )}
            {(request.body?.type === "multipart" || request.body?.type === "urlencoded") && (
              <ul className="font-mono">
                {request.body.fields?.map((f, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a stored request's fields, shown read-only in their order.
                  <li key={i}>
                    {String(f.name ?? f.key)} ={" "}
                    {f.type === "file" ? `file ${String(f.fileName)} (${String(f.contentType)}, ${String(f.size ?? "?")} bytes)` : String(f.value)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </details>
      )}
      {step.responseStatus !== null && (
        <details open>
          <summary className="cursor-pointer text-sm font-medium">
            Response{step.responseSize !== null ? ` (${step.responseSize} bytes)` : ""}
          </summary>
          <div className="mt-2 space-y-2 text-xs">
            {step.responseHeaders && <Headers values={step.responseHeaders} />}
            {step.responseSize === 0 ? (
              <p className="text-zinc-500">(empty body)</p>
            ) : (
              step.responseBody !== null && (
                <CodeBlock label="Response body" className="max-h-96 overflow-auto rounded bg-zinc-50 p-2" data-testid="step-response-body">
                  {step.responseBody}
                </CodeBlock>
              )
            )}
          </div>
        </details>
      )}
    </section>
  );
}

function Headers({ values }: { values: Record<string, string | string[]> }) {
  return (
    <table className="font-mono">
      <tbody>
        {Object.entries(values).map(([k, v]) => (
          <tr key={k}>
            <td className="pr-3 align-top text-zinc-500">{k}</td>
            <td className="break-all">{Array.isArray(v) ? v.join(", ") : v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
