import "server-only";
import type { Database } from "@/db";
import { flowStepRuns, type FlowRunRow } from "@/db/schema";
import { NO_SECRETS, type Masker } from "@/lib/http/mask";
import type { RequestSpec } from "@/lib/http/spec";
import type { HttpResult, ResponseHeaders } from "@/lib/http/types";
import { storableSpec } from "@/lib/requests/storable-spec";
import { postgresSafe } from "@/lib/storage/postgres-safe";
import type { StepResultScope } from "./mapping";
import type { FlowStep } from "./model";
import type { StepConnection } from "./step-connection";
import type { StepTiming } from "./step-timing";

/** How a step's result is kept: what later steps may map, and the masked, capped row the run page shows. */

export const BODY_PREVIEW_LIMIT = 64 * 1024;
const OUTPUT_LIMIT = 64 * 1024;

/** What `{{steps.<name>…}}` reads after the step ran. */
export function stepScope(result: HttpResult): StepResultScope {
  if (!result.ok) return result.response ? { status: result.response.status, headers: result.response.headers } : {};
  const out: StepResultScope = { status: result.status, headers: result.headers };
  if (result.body.type === "binary")
    out.file = { bytes: result.body.value, contentType: headerValue(result.headers, "content-type") ?? "application/octet-stream" };
  else if (result.body.type === "json" || result.body.type === "text") out.body = result.body.value;
  return out;
}

/** The step's error in words: the executor's message, or the HTTP status with a missing scope named. */
export function describeFailure(result: HttpResult, connection: StepConnection | null, masker: Masker): string {
  // It may quote the server (a required scope): stored on the run, so masked like the rest of the step.
  return masker.text(failureInWords(result, connection));
}

function failureInWords(result: HttpResult, connection: StepConnection | null): string {
  if (!result.ok) return result.message;
  const status = `HTTP ${result.status}${result.statusText ? ` ${result.statusText}` : ""}`;
  if (result.status === 401 || result.status === 403) {
    const scope = insufficientScope(result.headers, result.body.type === "json" ? result.body.value : undefined);
    if (scope) {
      const granted = connection?.grantedScopes;
      const who = connection ? `the connection “${connection.name}”` : "the request";
      if (granted && scope.required.length) {
        const missing = scope.required.filter((s) => !granted.includes(s));
        if (missing.length) {
          return `${status}: ${who} lacks the scope ${missing.map((s) => `“${s}”`).join(", ")} (granted: ${granted.join(" ") || "none"}). Reauthorize it with that scope.`;
        }
      }
      if (scope.required.length)
        return `${status}: the server needs the scope ${scope.required.map((s) => `“${s}”`).join(", ")}, which ${who} was not granted.`;
      return `${status}: ${who} was not granted a scope the server needs${granted ? ` (granted: ${granted.join(" ") || "none"})` : ""}.`;
    }
  }
  return status;
}

/** RFC 6750: `WWW-Authenticate: Bearer error="insufficient_scope", scope="a b"` (or the same in a JSON body). */
export function insufficientScope(headers: ResponseHeaders, body: unknown): { required: string[] } | null {
  const challenge = headerValue(headers, "www-authenticate") ?? "";
  const json = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  if (!/error="?insufficient_scope"?/i.test(challenge) && json.error !== "insufficient_scope") return null;
  const fromHeader = /scope="([^"]*)"/i.exec(challenge)?.[1];
  const fromBody = typeof json.scope === "string" ? json.scope : undefined;
  const required = (fromHeader ?? fromBody ?? "").split(/\s+/).filter(Boolean);
  return { required };
}

function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

type StepRecord = {
  status: "succeeded" | "failed" | "skipped";
  error?: string | null;
  errorKind?: string;
  spec?: RequestSpec;
  result?: HttpResult;
  /** The step's connection's masker. */
  masker?: Masker;
  connectionName?: string;
  durationMs?: number;
  /** Where the step sits on the run's time axis (numbers and reasons only: nothing to mask). */
  timing?: StepTiming;
};

export async function recordStep(db: Database, run: FlowRunRow, position: number, step: FlowStep, record: StepRecord): Promise<void> {
  const masker = record.masker ?? NO_SECRETS;
  // Masked value by value before it is serialised (NUL characters are made storable at the insert).
  const mask = <T>(value: T): T => (value == null ? value : (JSON.parse(JSON.stringify(masker.value(value))) as T));
  const text = (value: string) => cap(masker.text(value));
  const result = record.result;
  let response: Partial<typeof flowStepRuns.$inferInsert> = {};
  if (result?.ok) {
    const body = result.body;
    const bodyText =
      body.type === "json"
        ? JSON.stringify(masker.value(body.value), null, 2)
        : body.type === "text"
          ? body.value
          : `(${body.type === "binary" ? `binary, ${body.value.length} bytes, ${headerValue(result.headers, "content-type") ?? "no content type"}` : `file, ${body.size} bytes`})`;
    const output = body.type === "json" && JSON.stringify(body.value).length <= OUTPUT_LIMIT ? body.value : null;
    response = {
      responseStatus: result.status,
      responseHeaders: mask(result.headers),
      responseBodyType: body.type === "file" ? "binary" : body.type,
      responseBody: text(bodyText),
      responseSize: result.size,
      output: output === null ? null : mask(output),
      attempts: result.attempts,
    };
  } else if (result && !result.ok) {
    response = {
      responseStatus: result.response?.status ?? null,
      responseHeaders: result.response ? mask(result.response.headers) : null,
      responseBody: result.response?.bodyPreview ? text(result.response.bodyPreview) : null,
      errorKind: result.kind,
      attempts: result.attempts,
    };
  }
  // postgresSafe: remote bodies and headers may hold NUL characters, which Postgres cannot store.
  await db.insert(flowStepRuns).values(
    postgresSafe({
      runId: run.id,
      teamId: run.teamId,
      position,
      stepName: step.name,
      status: record.status,
      connectionName: record.connectionName ?? null,
      request: record.spec ? mask({ ...storableRequest(record.spec, masker), sent: result?.requests ?? [] }) : null,
      error: record.error ? text(record.error) : null,
      errorKind: record.errorKind ?? (record.error && result?.ok ? "http_status" : null),
      durationMs: Math.round(record.durationMs ?? 0),
      timing: record.timing ?? null,
      ...response,
    }),
  );
}

/** The resolved request as stored: file contents replaced by their size, secrets masked. */
function storableRequest(spec: RequestSpec, masker: Masker): Record<string, unknown> {
  const stored = storableSpec(spec, masker);
  if (spec.body.type === "multipart") {
    const sizes = spec.body.fields.map((f) =>
      f.type === "file" ? (f.buffer?.length ?? (f.base64 ? Buffer.from(f.base64, "base64").length : 0)) : null,
    );
    const body = stored.body as { fields: Array<Record<string, unknown>> };
    body.fields = body.fields.map((f, i) => (sizes[i] === null ? f : { ...f, size: sizes[i] }));
  }
  const raw = stored.body as { type: string; text?: string };
  if (raw.type === "raw" && raw.text && raw.text.length > BODY_PREVIEW_LIMIT) {
    raw.text = `${raw.text.slice(0, BODY_PREVIEW_LIMIT)} … (${raw.text.length} characters in all)`;
  }
  return stored;
}

function cap(text: string): string {
  return text.length > BODY_PREVIEW_LIMIT ? `${text.slice(0, BODY_PREVIEW_LIMIT)}\n… (cut at ${BODY_PREVIEW_LIMIT / 1024} KB)` : text;
}
