import { readJsonPath } from "./json-path";
import { findLink } from "./link-header";
import { MASK } from "./mask";
import { paginationSchema, type PaginationOptions, type PaginationOptionsInput } from "./pagination-spec";
import { appendQueryRows } from "./query-string";
import { requestSpecSchema, type RequestSpec, type RequestSpecInput } from "./spec";
import { evaluateStopExpression, parseStopExpression, type StopExpression } from "./stop-expression";
import type { HttpErrorKind, HttpResponseResult, HttpResult } from "./types";

/** Sends one page: pass the executor bound to the connection, so every page gets credentials and refresh. */
export type PageExecutor = (spec: RequestSpec) => Promise<HttpResult>;

export type StopReason = "single_page" | "empty_page" | "no_next" | "stop_condition" | "max_pages" | "repeated_url";

export type PaginateResult =
  | { ok: true; pages: HttpResponseResult[]; items?: unknown[]; stoppedBecause: StopReason }
  | { ok: false; kind: HttpErrorKind | "invalid_pagination" | "page_failed"; message: string; pages: HttpResponseResult[] };

/**
 * Fetches page after page until the API says there is no more (empty page, no next link, the stop
 * condition) or maxPages is reached. A failed page, or one answering 4xx/5xx, ends paging with an error that
 * keeps the pages fetched so far.
 */
export async function paginate(specInput: RequestSpecInput, optionsInput: PaginationOptionsInput, execute: PageExecutor): Promise<PaginateResult> {
  const pages: HttpResponseResult[] = [];
  const invalid = (message: string): PaginateResult => ({ ok: false, kind: "invalid_pagination", message, pages });
  const parsedSpec = requestSpecSchema.safeParse(specInput);
  const parsedOptions = paginationSchema.safeParse(optionsInput);
  if (!parsedSpec.success || !parsedOptions.success) {
    const issues = [...(parsedSpec.error?.issues ?? []), ...(parsedOptions.error?.issues ?? [])];
    return invalid(`invalid pagination: ${issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; ")}`);
  }
  const options = parsedOptions.data;
  const stop: StopExpression | undefined = options.stopWhen?.trim() ? parseStopExpression(options.stopWhen) : undefined;
  const items: unknown[] = [];
  const firstValue = options.start ?? (options.mode === "pageParam" ? 1 : 0);
  let spec =
    options.mode === "pageParam" || options.mode === "offsetParam"
      ? withParam(parsedSpec.data, required(options.param, "param"), String(firstValue))
      : parsedSpec.data;
  let counter = firstValue;
  const seen = new Set<string>([requestKey(spec)]);

  for (let n = 1; n <= options.maxPages; n++) {
    const result = await execute(spec);
    if (!result.ok) return { ok: false, kind: result.kind, message: `page ${n} failed: ${result.message}`, pages };
    pages.push(result);
    if (result.status >= 400) {
      return { ok: false, kind: "page_failed", message: `page ${n} answered HTTP ${result.status} ${result.statusText}`.trim(), pages };
    }
    const body = jsonOf(result);
    let pageItems: unknown[] | undefined;
    if (options.itemsPath) {
      const found = readJsonPath(body, options.itemsPath);
      if (found != null && !Array.isArray(found)) return invalid(`on page ${n}, ${options.itemsPath} is not a list`);
      pageItems = found ?? [];
      items.push(...pageItems);
    }
    const done = (stoppedBecause: StopReason): PaginateResult => ({
      ok: true,
      pages,
      ...(options.output === "items" ? { items } : {}),
      stoppedBecause,
    });
    if (options.mode === "off") return done("single_page");
    if (pageItems && pageItems.length === 0) return done("empty_page");
    if (stop && evaluateStopExpression(stop, { status: result.status, body })) return done("stop_condition");

    const next = nextSpec(spec, options, result, body, pageItems, counter);
    if (!next) return done("no_next");
    counter = next.counter;
    const key = requestKey(next.spec);
    if (seen.has(key)) return done("repeated_url");
    seen.add(key);
    spec = next.spec;
  }
  return { ok: true, pages, ...(options.output === "items" ? { items } : {}), stoppedBecause: "max_pages" };
}

/** paginationSchema requires these fields per mode (a refinement its output type cannot express). */
function required(value: string | undefined, field: string): string {
  if (value === undefined) throw new Error(`pagination ${field} is missing; paginationSchema should have refused it`);
  return value;
}

function nextSpec(
  spec: RequestSpec,
  options: PaginationOptions,
  result: HttpResponseResult,
  body: unknown,
  pageItems: unknown[] | undefined,
  counter: number,
): { spec: RequestSpec; counter: number } | undefined {
  switch (options.mode) {
    case "nextUrlFromBody":
    case "linkHeader": {
      const link =
        options.mode === "linkHeader" ? findLink(result.headers.link, "next") : readJsonPath(body, required(options.nextUrlPath, "nextUrlPath"));
      if (typeof link !== "string" || !link.trim()) return undefined;
      // The next URL is complete: it replaces the URL and its query rows.
      return { spec: { ...spec, url: resolveAgainst(link.trim(), spec, result), query: [] }, counter };
    }
    case "pageParam": {
      const value = counter + (options.increment ?? 1);
      return { spec: withParam(spec, required(options.param, "param"), String(value)), counter: value };
    }
    case "offsetParam": {
      const value = counter + (options.increment ?? pageItems?.length ?? 0);
      return { spec: withParam(spec, required(options.param, "param"), String(value)), counter: value };
    }
    case "cursorParam": {
      const cursor = readJsonPath(body, required(options.cursorPath, "cursorPath"));
      if (cursor === undefined || cursor === null || cursor === "" || cursor === false) return undefined;
      return { spec: withParam(spec, required(options.param, "param"), String(cursor)), counter };
    }
    default:
      return undefined;
  }
}

/** Sets one query parameter, replacing a row or a parameter already in the URL with the same name. */
function withParam(spec: RequestSpec, name: string, value: string): RequestSpec {
  let url = spec.url;
  if (URL.canParse(url)) {
    const parsed = new URL(url);
    if (parsed.searchParams.has(name)) {
      parsed.searchParams.delete(name);
      url = parsed.href;
    }
  }
  const query = spec.query.filter((q) => q.key !== name);
  return { ...spec, url, query: [...query, { key: name, value, enabled: true }] };
}

/** Relative next links resolve against the page's final URL (unless masking hid part of it). */
function resolveAgainst(link: string, spec: RequestSpec, result: HttpResponseResult): string {
  const requested = appendQueryRows(spec.url, spec.query);
  const base = result.url.includes(MASK) ? requested : result.url;
  return URL.canParse(base) ? new URL(link, base).href : link;
}

function jsonOf(result: HttpResponseResult): unknown {
  if (result.body.type === "json") return result.body.value;
  if (result.body.type !== "text") return undefined;
  try {
    return JSON.parse(result.body.value);
  } catch {
    return undefined;
  }
}

function requestKey(spec: RequestSpec): string {
  return `${spec.method} ${appendQueryRows(spec.url, spec.query)}`;
}
