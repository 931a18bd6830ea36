import type { ResponseHeaders } from "./types";

/** A response as a run can pass it on: its status line, headers and body value. */
export type PassedOnResponse = { status: number; statusText: string; headers: ResponseHeaders; body: unknown };

/**
 * What a run passes on as its result (each page's entry when paginating with "every page"): the body
 * value alone, or the whole response with Include full response. Client-safe, so the builder's preview
 * shapes its example with the executor's own rule.
 */
export function responseOutput(includeFullResponse: boolean, response: PassedOnResponse): unknown {
  return includeFullResponse
    ? { status: response.status, statusText: response.statusText, headers: response.headers, body: response.body }
    : response.body;
}
