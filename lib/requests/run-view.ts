import type { CookieSummary, DebugRequest, HttpErrorKind, HttpProtocol, RedirectHop, ResponseHeaders, Timings } from "@/lib/http/types";

/** What the browser receives for a run: serialisable, secrets masked, binary as base64. */
export type RunBodyView =
  | { type: "json"; value: unknown }
  | { type: "text"; value: string }
  | { type: "binary"; base64: string; contentType: string; size: number }
  | { type: "file"; size: number; downloadUrl: string };

export type RunView =
  | {
      runId: string;
      ok: true;
      status: number;
      statusText: string;
      headers: ResponseHeaders;
      body: RunBodyView;
      size: number;
      url: string;
      /** The HTTP version the response came on. */
      protocol?: HttpProtocol;
      redirects: RedirectHop[];
      timings: Timings;
      attempts: number;
      /** With pagination: how many pages were fetched and why paging stopped. */
      pages?: { count: number; stoppedBecause: string };
      requests?: DebugRequest[];
      /** The proxy the request went through, credentials never shown. */
      proxy?: string;
      /** With "Keep cookies between requests": the session's jar after the run, values masked. */
      cookies?: CookieSummary[];
    }
  | {
      runId: string;
      ok: false;
      kind: HttpErrorKind | "connection";
      message: string;
      attempts: number;
      timings: Timings;
      response?: { status: number; statusText: string; headers: ResponseHeaders; url: string; bodyPreview?: string };
      requests?: DebugRequest[];
      proxy?: string;
      cookies?: CookieSummary[];
    };
