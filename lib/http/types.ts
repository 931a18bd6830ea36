import type { AllowList } from "./address-guard";
import type { RunCookieJar } from "./cookie-jar";
import type { ResolveHost } from "./dispatcher";
import type { OutboundLimiter } from "./outbound-limit";
import type { Masker } from "./mask";
import type { ConnectionProxy, ProxyResolve } from "./proxy/proxy-plan";

/**
 * Adds a connection's credentials to an outgoing request. The executor records what apply() changed (headers
 * and query parameters) so it can remove exactly that before a request leaves the connection's origin.
 */
export interface CredentialProvider {
  /** Hosts this connection may talk to: "api.example.com", "*.example.com" (sub-domains), optional ":port". */
  allowedHosts: string[];
  /** Relative request URLs are appended to this. */
  baseUrl?: string;
  /** Adds the credentials to one outgoing request (see OutgoingRequest and ApplyOptions). */
  apply(req: OutgoingRequest, opts: ApplyOptions): Promise<void>;
  /**
   * Signing schemes (AWS SigV4, OAuth 1.0a, Digest) sign the method, URL and body of each request: their
   * credentials are applied again on every same-origin redirect hop instead of being copied.
   */
  signsEachHop?: boolean;
  /** Presented in the TLS handshake of every request (mutual TLS). */
  clientCertificate?: ClientCertificate;
  /** A private CA trusted for every request, besides the public roots and the request's own CA. */
  caCertificatePem?: string;
  /** Hides the connection's secrets wherever a request or its outcome is shown or stored (debug output, URLs, cURL). */
  masker: Masker;
  /** Query parameters that carry this connection's credentials (an API key or token in the URL): their
   * values are masked in every URL shown or stored, also when a redirect put a different value there. */
  credentialQueryParams?: string[];
  /** Statuses meaning "credentials expired": refresh once and resend. Default [401]. */
  expiredStatuses?: number[];
  /** The connection's proxy choice (its password decrypted); absent means the instance's. */
  proxy?: ConnectionProxy;
}

/**
 * The request apply() adds credentials to; the body is the exact bytes that will be sent (signers hash it).
 * apply() may replace the body (custom auth's body fields): the new bytes are sent, on every same-origin hop.
 */
export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Headers;
  body?: Uint8Array;
}

export interface ApplyOptions {
  /** The server refused the credentials (an expired status): fetch new ones instead of using a cached token. */
  forceRefresh: boolean;
  /** The refused response's WWW-Authenticate lines (combined with commas), for challenge schemes (Digest). */
  challenge?: string;
}

/** A client certificate for mutual TLS: PEM certificate chain and key, or a PKCS#12 bundle; passphrase for either. */
export interface ClientCertificate {
  certPem?: string;
  keyPem?: string;
  pfx?: Buffer;
  passphrase?: string;
}

export interface ExecuteOptions {
  provider?: CredentialProvider;
  /** Mutual TLS without a provider (a connection's login step); a provider's own certificate wins. */
  clientCertificate?: ClientCertificate;
  /** A private CA trusted without a provider (a connection's login step); a provider's own wins. */
  caCertificatePem?: string;
  /** Internal targets an admin allowed; see parseAllowedHosts(). Everything else private is refused. */
  allowedTargets?: AllowList;
  signal?: AbortSignal;
  /** Largest body held in memory (json, text, small binary). Default 10 MB. */
  maxBodyBytes?: number;
  /** Where binary bodies larger than maxBodyBytes are written. Without it they fail as too large. */
  downloadDir?: string;
  /** Largest file a binary body may become. Default 2 GiB. */
  maxFileBytes?: number;
  /** DNS override (tests); defaults to the system resolver. */
  resolveHost?: ResolveHost;
  /** Exponential backoff base and cap, and the cap on a server's Retry-After. */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** Whose share of the outbound limit this request counts against (the team id); "" when none. */
  limitKey?: string;
  /** The outbound limiter; default this process's, sized by PLUGBOARD_OUTBOUND_* (tests and benchmarks pass their own). */
  limiter?: OutboundLimiter;
  /** The proxy of the connection a request belongs to when there is no provider (a login step); a provider's own wins. */
  proxy?: ConnectionProxy;
  /** How a proxy learns the target (PLUGBOARD_PROXY_RESOLVE); default from the environment. */
  proxyResolve?: ProxyResolve;
  /** Told before each retry waits (progress display, logs). */
  onRetry?: (info: RetryInfo) => void;
  /** Cookies of a flow run: sent with every request they apply to, filled from every response (redirect hops too). */
  cookieJar?: RunCookieJar;
}

/** A cookie in a jar, as the run page lists it (the value is response data: shown masked like a response). */
export interface CookieSummary {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Sent to its exact host only (no Domain attribute). */
  hostOnly: boolean;
  secure: boolean;
  httpOnly: boolean;
  /** ISO time; absent for a session cookie (kept for the run). */
  expires?: string;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  /** "HTTP 503" or the error kind that caused it. */
  reason: string;
  /** The delay came from the server's Retry-After header. */
  fromRetryAfter: boolean;
}

export type HttpErrorKind =
  | "invalid_request"
  | "host_not_allowed"
  | "credentials"
  | "address_guard"
  | "dns"
  | "connection_refused"
  | "connection_reset"
  | "network"
  | "tls"
  | "timeout"
  | "aborted"
  | "too_many_redirects"
  | "body_too_large"
  | "invalid_json"
  /** The proxy refused to carry the request (407 without valid proxy credentials, 403 by its policy, ...). */
  | "proxy"
  /** Not sent: this instance's outbound limit and its wait queue are full; retry after retryAfterSeconds. */
  | "busy";

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

/** The HTTP version a request went out on: HTTP/2 when a TLS server chose it in the handshake (ALPN). */
export type HttpProtocol = "HTTP/1.1" | "HTTP/2";

/** A request as it went out, secrets masked. */
export interface DebugRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodySize: number;
  /** The proxy this hop went through ("proxy http://host:3128 as user"); absent when sent directly. */
  proxy?: string;
  /** The first bytes of the body as text. */
  bodyPreview?: string;
  /** Absent when it never reached a connection (refused by the guard, DNS failure). */
  protocol?: HttpProtocol;
}

export type ResponseBody =
  | { type: "json"; value: unknown }
  | { type: "text"; value: string }
  | { type: "binary"; value: Buffer }
  /** A binary body larger than maxBodyBytes, streamed to downloadDir. The caller owns (and deletes) the file. */
  | { type: "file"; path: string; size: number };

export type ResponseHeaders = Record<string, string | string[]>;

export interface Timings {
  totalMs: number;
  /** Time from sending the final request to its response headers. */
  ttfbMs?: number;
  /** Every request that went out (attempts, redirect hops), with its phases, in the order sent. */
  exchanges?: ExchangeTiming[];
  /** Pauses between attempts (retry delays, Retry-After). */
  waits?: WaitTiming[];
}

/** The phases of one request as the network panel shows them; DNS, connect and TLS only on a new connection. */
export type TimingPhaseName = "dns" | "connect" | "tls" | "ttfb" | "download";

export interface TimingPhase {
  name: TimingPhaseName;
  /** From the start of the run (the same origin as every other offset in Timings). */
  startMs: number;
  durationMs: number;
}

export interface ExchangeTiming {
  /** 1 for the first attempt; retries and the credential-refresh resend count on. */
  attempt: number;
  /** 0 for the attempt's own request, 1… for the redirects it followed. */
  hop: number;
  /** With pagination: the page (1…) it fetched. */
  page?: number;
  startMs: number;
  /** Sent on a kept-alive connection: it had no DNS, connect or TLS phase of its own. */
  reusedConnection: boolean;
  phases: TimingPhase[];
  /** The response status, when headers arrived. */
  status?: number;
  /** When it was written to a connection. */
  protocol?: HttpProtocol;
}

export interface WaitTiming {
  startMs: number;
  durationMs: number;
  /** "HTTP 503", an error kind, or "busy". */
  reason: string;
}

/** A response arrived (any status, 4xx and 5xx included: they are answers to show, not failures). */
export interface HttpResponseResult {
  ok: true;
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  body: ResponseBody;
  /** Body size in bytes after decompression. */
  size: number;
  url: string;
  /** The HTTP version the final response came on. */
  protocol?: HttpProtocol;
  redirects: RedirectHop[];
  timings: Timings;
  /** Times the request was sent (first try, retries and the credential refresh; not redirect hops). */
  attempts: number;
  /** What a workflow step passes on: the body value, or status + headers + body with includeFullResponse. */
  output: unknown;
  /** With debug: every request that went out, in order. */
  requests?: DebugRequest[];
  /** The proxy the final request went through (credentials never shown); absent when sent directly. */
  proxy?: string;
}

/** No usable response: the reason in words, with a stable code. */
export interface HttpErrorResult {
  ok: false;
  kind: HttpErrorKind;
  message: string;
  attempts: number;
  redirects: RedirectHop[];
  timings: Timings;
  /** Present when a response arrived but could not be used (body too large, invalid JSON). */
  response?: { status: number; statusText: string; headers: ResponseHeaders; url: string; bodyPreview?: string };
  requests?: DebugRequest[];
  /** The proxy the failed request went (or would have gone) through; absent when sent directly. */
  proxy?: string;
  /** With kind "busy": when a new try may find a free slot. */
  retryAfterSeconds?: number;
}

export type HttpResult = HttpResponseResult | HttpErrorResult;
