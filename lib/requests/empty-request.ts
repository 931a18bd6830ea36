import type { PaginationOptions } from "@/lib/http/pagination-spec";
import type { RequestSpec } from "@/lib/http/spec";
import type { RunRequestInput } from "./schemas";

// The blank request as plain values, so the request builder and the flow editor show their empty form
// without loading zod (issue 13's first-load JS budget). empty-request.test.ts checks they equal what
// the schemas' own defaults give, so they cannot drift apart.

/** The request spec's defaults, with an empty URL to type into. */
export const EMPTY_REQUEST_SPEC: RequestSpec = {
  method: "GET",
  url: "",
  headers: [],
  query: [],
  body: { type: "none" },
  responseType: "json",
  timeoutSeconds: 40,
  maxRetries: 0,
  retryDelayMs: 0,
  exponentialBackoff: false,
  retryOnAllErrors: false,
  followRedirect: true,
  followAllRedirects: false,
  maxRedirects: 5,
  requestCompressed: false,
  rejectUnauthorized: true,
  ignoreSslErrors: false,
  caCertificatePem: "",
  includeFullResponse: false,
  debug: false,
  forceHttp1: false,
  // Absent: the connection's proxy, else the instance's (the Options panel's "Default").
  proxy: undefined,
};

/** Pagination off: the pagination schema's defaults. */
export const EMPTY_PAGINATION: PaginationOptions = { mode: "off", maxPages: 100, output: "pages" };

/** The request builder's blank form. */
export const EMPTY_REQUEST: RunRequestInput = { connectionId: null, spec: EMPTY_REQUEST_SPEC, pagination: EMPTY_PAGINATION, cookieSession: null };
