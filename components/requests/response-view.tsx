"use client";
import type { RunView } from "@/lib/requests/run-view";
import { TimingWaterfall } from "./timing-waterfall";
import { CodeBlock } from "@/components/ui/code-block";

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function ResponseView({ view }: { view: RunView }) {
  if (!view.ok) {
    return (
      <div className="space-y-3" data-testid="response">
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <p className="font-medium">Request failed ({view.kind.replaceAll("_", " ")})</p>
          <p>{view.message}</p>
          <p className="mt-1 text-xs text-red-700">
            {view.attempts} attempt{view.attempts === 1 ? "" : "s"}, {Math.round(view.timings.totalMs)} ms
          </p>
          {view.proxy && (
            <p className="mt-1 text-xs text-red-700" data-testid="response-proxy">
              via {view.proxy}
            </p>
          )}
        </div>
        {view.response && (
          <p className="text-sm text-zinc-600">
            The server answered {view.response.status} {view.response.statusText}
          </p>
        )}
        {view.requests && <DebugRequests requests={view.requests} />}
      </div>
    );
  }
  const statusColor =
    view.status < 300 ? "bg-green-100 text-green-800" : view.status < 400 ? "bg-amber-100 text-amber-800" : "bg-red-100 text-red-800";
  return (
    <div className="space-y-3" data-testid="response">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className={`rounded px-2 py-0.5 font-mono font-semibold ${statusColor}`} role="status" aria-label="Status">
          {view.status} {view.statusText}
        </span>
        {view.protocol && (
          <span className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs" data-testid="response-protocol" title="HTTP version">
            {view.protocol}
          </span>
        )}
        <span>{Math.round(view.timings.totalMs)} ms</span>
        <span>{formatBytes(view.size)}</span>
        {/* A paginated run sends once per page: only retries make more attempts than pages. */}
        {view.attempts > (view.pages?.count ?? 1) && <span>{view.attempts} attempts</span>}
        {view.redirects.length > 0 && <span>{view.redirects.length} redirect(s)</span>}
        {view.pages && (
          <span data-testid="page-count">
            {view.pages.count} page{view.pages.count === 1 ? "" : "s"} (stopped: {view.pages.stoppedBecause})
          </span>
        )}
        {view.proxy && <span data-testid="response-proxy">via {view.proxy}</span>}
        <span className="truncate text-zinc-500">{view.url}</span>
      </div>
      <TimingWaterfall timings={view.timings} />
      <details>
        <summary className="cursor-pointer text-sm font-medium">Headers</summary>
        <table className="mt-2 text-xs">
          <tbody>
            {Object.entries(view.headers).map(([k, v]) => (
              <tr key={k}>
                <td className="pr-3 font-mono text-zinc-600">{k}</td>
                <td className="font-mono">{Array.isArray(v) ? v.join(", ") : v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <Body view={view} />
      {view.requests && <DebugRequests requests={view.requests} />}
    </div>
  );
}

function Body({ view }: { view: Extract<RunView, { ok: true }> }) {
  const { body } = view;
  if (view.size === 0 && body.type !== "file") return <p className="text-sm text-zinc-500">(empty body)</p>;
  if (body.type === "json") return <JsonTree value={body.value} />;
  if (body.type === "text") {
    return (
      <section aria-label="Response body">
        <CodeBlock
          label="Body text"
          className="max-h-[32rem] overflow-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
        >
          {body.value}
        </CodeBlock>
      </section>
    );
  }
  if (body.type === "file") {
    return (
      <a className="text-sm text-indigo-700 underline" href={body.downloadUrl}>
        Download ({formatBytes(body.size)})
      </a>
    );
  }
  const href = `data:${body.contentType};base64,${body.base64}`;
  return (
    <div className="space-y-2">
      {body.contentType.startsWith("image/") && !body.contentType.includes("svg") && (
        // biome-ignore lint/performance/noImgElement: a preview of the response's bytes, which next/image cannot optimise.
        <img src={href} alt="Response preview" className="max-h-80 rounded border" />
      )}
      <a className="text-sm text-indigo-700 underline" href={href} download={`response-${view.runId}`}>
        Download ({formatBytes(body.size)}, {body.contentType})
      </a>
    </div>
  );
}

/** Pretty-printed JSON whose objects and arrays fold open and shut. */
function JsonTree({ value }: { value: unknown }) {
  return (
    <section
      className="max-h-[32rem] overflow-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
      aria-label="Response body"
    >
      <JsonNode value={value} />
    </section>
  );
}

function JsonNode({ value, name }: { value: unknown; name?: string }) {
  const label = name !== undefined ? <span className="text-sky-300 dark:text-sky-700">{JSON.stringify(name)}: </span> : null;
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    return (
      <details open className="pl-3">
        <summary className="-ml-3 cursor-pointer list-none">
          {label}
          {open}
          <span className="text-zinc-500"> {entries.length} </span>
        </summary>
        {entries.map(([k, v]) => (
          <JsonNode key={k} name={Array.isArray(value) ? undefined : k} value={v} />
        ))}
        <span className="-ml-3">{close}</span>
      </details>
    );
  }
  const color =
    typeof value === "string"
      ? "text-emerald-300 dark:text-emerald-700"
      : typeof value === "number"
        ? "text-amber-300 dark:text-amber-700"
        : "text-pink-300 dark:text-pink-700";
  return (
    <div className="pl-3">
      {label}
      <span className={color}>{JSON.stringify(value)}</span>
    </div>
  );
}

function DebugRequests({ requests }: { requests: NonNullable<RunView["requests"]> }) {
  return (
    <details>
      <summary className="cursor-pointer text-sm font-medium">Request sent ({requests.length})</summary>
      {requests.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the requests of one answer, in the order they were sent; never reordered.
        <section key={i} aria-label="Debug request">
          <CodeBlock label="Request sent" className="mt-2 overflow-auto rounded-md bg-zinc-100 p-3 text-xs">
            {`${
              r.proxy
                ? `# via ${r.proxy}
`
                : ""
            }${r.method} ${r.url}${r.protocol ? ` ${r.protocol}` : ""}
${Object.entries(r.headers)
  .map(([k, v]) => `${k}: ${v}`)
  .join("\n")}${r.bodyPreview ? `\n\n${r.bodyPreview}` : ""}`}
          </CodeBlock>
        </section>
      ))}
    </details>
  );
}
