import "server-only";
import { EMPTY_ALLOW_LIST } from "./address-guard";
import { buildHeaders, resolveUrl } from "./build-request";
import { isHostAllowed } from "./credentials";
import { getDispatcher } from "./dispatcher";
import { classifyError, HttpRequestError } from "./errors";
import { firstHeader, runAttempt, type AttemptResponse, type SendObserver, type SentRequest } from "./exchange";
import { describeRequest } from "./debug-request";
import { NO_SECRETS, type Masker } from "./mask";
import { getOutboundLimiter, OutboundBusyError, type Release } from "./outbound-limit";
import { urlWithoutCredentials } from "./url-credentials";
import { discardBody, readBody } from "./read-response";
import { buildRequestBody } from "./request-body";
import { toResponseBody, bodyValue, normalizeHeaders } from "./response-body";
import { responseOutput } from "./response-output";
import { AttemptSignal, sleep } from "./cancellation";
import { backoffDelay, isRetryableError, isRetryableStatus, parseRetryAfter, RETRY_AFTER_STATUSES } from "./retry";
import { RunTiming } from "./request-timing";
import { chooseProxyPlan, describeProxy, proxyResolveMode, type ProxyPlan } from "./proxy/proxy-plan";
import { requestSpecSchema, type RequestSpec, type RequestSpecInput } from "./spec";
import type { DebugRequest, ExecuteOptions, HttpErrorResult, HttpResponseResult, HttpResult, RedirectHop, Timings } from "./types";

const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
const DEFAULT_MAX_FILE = 2 * 1024 ** 3;

/** One run's record: what the result and the errors report. Told of every hop as it is sent (`onSend`). */
class RunState implements SendObserver {
  readonly timing: RunTiming;
  attempts = 0;
  redirects: RedirectHop[] = [];
  requests?: DebugRequest[];
  target: URL | undefined;
  readonly masker: Masker;
  readonly credentialQueryParams: string[];
  /** Where requests may go through a proxy (set once the run has chosen it). */
  proxyPlan?: ProxyPlan;
  /** The proxy the last hop went through, as shown (never its password). */
  proxy?: string;

  constructor(
    readonly started: number,
    provider: ExecuteOptions["provider"],
  ) {
    this.timing = new RunTiming(started);
    this.masker = provider?.masker ?? NO_SECRETS;
    this.credentialQueryParams = provider?.credentialQueryParams ?? [];
  }

  onSend(req: SentRequest): void {
    this.target = req.url;
    this.proxy = this.proxyPlan ? shownProxy(this.proxyPlan, req.url) : undefined;
    if (!this.requests) return;
    const via = this.proxy ? { proxy: this.proxy } : {};
    this.requests.push({ ...describeRequest(req, this.masker), url: shownUrl(req.url, this), ...via });
  }
}

/**
 * Runs a request the way the product promises: validated, credentials applied and refreshed once when they
 * expired, every hop through the address guard, retried with backoff, body streamed within limits. Never
 * throws for request failures: they come back as { ok: false, kind, message }.
 */
export async function executeHttpRequest(input: RequestSpecInput, options: ExecuteOptions = {}): Promise<HttpResult> {
  const state = new RunState(performance.now(), options.provider);
  const parsed = requestSpecSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
    return failure(new HttpRequestError("invalid_request", `invalid request: ${issues.join("; ")}`), state);
  }
  const spec = parsed.data;
  if (spec.debug) state.requests = [];
  // The one place every outbound request passes: its slot covers the attempts, retries and the body read.
  let release: Release;
  try {
    release = await (options.limiter ?? getOutboundLimiter()).acquire(options.limitKey ?? "", options.signal);
  } catch (err) {
    if (err instanceof OutboundBusyError)
      return { ...failure(new HttpRequestError("busy", err.message), state), retryAfterSeconds: err.retryAfterSeconds };
    return failure(new HttpRequestError("aborted", "the request was cancelled while waiting for a free outbound slot"), state);
  }
  try {
    return await run(spec, options, state);
  } catch (err) {
    return failure(classifyError(err, hostPort(state.target)), state);
  } finally {
    release();
  }
}

async function run(spec: RequestSpec, options: ExecuteOptions, state: RunState): Promise<HttpResult> {
  const provider = options.provider;
  const url = resolveUrl(spec, provider?.baseUrl);
  state.target = url;
  if (provider && !isHostAllowed(url, provider.allowedHosts)) {
    const allowed = provider.allowedHosts.join(", ") || "none";
    throw new HttpRequestError("host_not_allowed", `host not allowed for this connection: ${url.host} is not one of its allowed hosts (${allowed})`);
  }
  const body = spec.body.type === "none" ? undefined : await buildRequestBody(spec.body);
  const headers = buildHeaders(spec, body);
  const proxy = chooseProxyPlan(spec.proxy, provider?.proxy ?? options.proxy);
  state.proxyPlan = proxy;
  const dispatcher = getDispatcher({
    rejectUnauthorized: spec.rejectUnauthorized && !spec.ignoreSslErrors,
    // The request's CA and the connection's are both trusted (a PEM bundle may hold several certificates).
    caCertificatePem: trustedCas(spec.caCertificatePem, provider ? provider.caCertificatePem : options.caCertificatePem),
    allow: options.allowedTargets ?? EMPTY_ALLOW_LIST,
    resolveHost: options.resolveHost,
    clientCertificate: provider?.clientCertificate ?? options.clientCertificate,
    allowH2: !spec.forceHttp1 && !hasHttp1OnlyHeaders(spec.headers),
    proxy,
    proxyResolve: proxy ? (options.proxyResolve ?? proxyResolveMode()) : undefined,
  });
  const expired = provider?.expiredStatuses ?? [401];
  let refreshed = false;
  let forceRefresh = false;
  let challenge: string | undefined;

  for (let retry = 0; ; ) {
    state.attempts++;
    const attempt = new AttemptSignal(spec.timeoutSeconds, options.signal);
    let delayMs: number;
    let reason: string;
    let fromRetryAfter = false;
    state.redirects = [];
    const refreshNow = forceRefresh;
    const challengeNow = challenge;
    forceRefresh = false;
    challenge = undefined;
    try {
      const res = await runAttempt({
        spec,
        url,
        headers,
        body: body?.bytes,
        provider,
        forceRefresh: refreshNow,
        challenge: challengeNow,
        dispatcher,
        signal: attempt,
        redirects: state.redirects,
        cookies: options.cookieJar,
        timing: { recorder: state.timing, attempt: state.attempts },
        observer: state,
      });
      if (res.credentialed && !refreshed && expired.includes(res.status)) {
        refreshed = forceRefresh = true;
        // Every WWW-Authenticate line, combined as RFC 9110 §5.3 allows: the scheme a provider answers may not be the first.
        challenge = [res.headers["www-authenticate"] ?? []].flat().join(", ") || undefined;
        await discardBody(res.body);
        continue; // the refresh resend is not one of the user's retries
      }
      if (retry < spec.maxRetries && isRetryableStatus(res.status, spec.retryOnAllErrors)) {
        await discardBody(res.body);
        const serverDelay = retryAfter(res, options);
        fromRetryAfter = serverDelay !== undefined;
        delayMs = serverDelay ?? backoff(spec, retry, options);
        reason = `HTTP ${res.status}`;
      } else {
        return await finish(spec, res, options, state, attempt);
      }
    } catch (err) {
      const failed = attempt.reason ?? classifyError(err, hostPort(state.target));
      if (!(retry < spec.maxRetries && isRetryableError(failed.kind, spec.retryOnAllErrors)) || options.signal?.aborted) throw failed;
      delayMs = backoff(spec, retry, options);
      reason = failed.kind;
    } finally {
      attempt.dispose();
    }
    retry++;
    options.onRetry?.({ retry, delayMs, reason, fromRetryAfter });
    const waitStarted = performance.now();
    await sleep(delayMs, options.signal);
    state.timing.wait(waitStarted, performance.now() - waitStarted, reason);
  }
}

async function finish(spec: RequestSpec, res: AttemptResponse, options: ExecuteOptions, state: RunState, signal: AttemptSignal): Promise<HttpResult> {
  const headers = normalizeHeaders(res.headers);
  const url = shownUrl(res.url, state);
  let read: Awaited<ReturnType<typeof readBody>>;
  try {
    read = await readBody(res.body, firstHeader(res.headers["content-encoding"]), {
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY,
      spillToFile: spec.responseType === "binary",
      downloadDir: options.downloadDir,
      maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE,
    });
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if (err instanceof HttpRequestError)
      throw new HttpRequestError(err.kind, err.message, { status: res.status, statusText: res.statusText, headers, url });
    throw err;
  }
  const body = toResponseBody(read, spec.responseType, headers, { status: res.status, statusText: res.statusText, url });
  const size = read.kind === "file" ? read.size : read.data.length;
  const value = bodyValue(body);
  const timings = state.timing.toTimings(performance.now() - state.started, res.ttfbMs);
  const result: HttpResponseResult = {
    ok: true,
    status: res.status,
    statusText: res.statusText,
    headers,
    body,
    size,
    url,
    redirects: maskRedirects(state),
    timings,
    attempts: state.attempts,
    output: responseOutput(spec.includeFullResponse, { status: res.status, statusText: res.statusText, headers, body: value }),
  };
  const protocol = timings.exchanges?.at(-1)?.protocol;
  if (protocol) result.protocol = protocol;
  if (state.requests) result.requests = withProtocols(state.requests, timings);
  if (state.proxy) result.proxy = state.proxy;
  return result;
}

// Headers that only mean something on an HTTP/1.1 connection (RFC 9113 §8.2.2 forbids them in HTTP/2, and
// Node's http2 refuses to send them): a request carrying one stays on HTTP/1.1 rather than failing.
const HTTP1_ONLY_HEADERS = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "http2-settings"];

// The user's rows, not the built Headers: the defaults added to them are all allowed in HTTP/2, and a plain
// loop over (usually no) rows costs nothing per request.
function hasHttp1OnlyHeaders(rows: RequestSpec["headers"]): boolean {
  for (const row of rows) {
    if (!row.enabled || !row.key) continue;
    const name = row.key.toLowerCase();
    // TE is allowed in HTTP/2 only as "trailers".
    if (HTTP1_ONLY_HEADERS.includes(name) || (name === "te" && row.value.trim().toLowerCase() !== "trailers")) return true;
  }
  return false;
}

/** Each debug request with the protocol it went out on (the requests and the timed exchanges pair up in order). */
function withProtocols(requests: DebugRequest[], timings: Timings): DebugRequest[] {
  const exchanges = timings.exchanges ?? [];
  return requests.map((r, i) => (exchanges[i]?.protocol ? { ...r, protocol: exchanges[i].protocol } : r));
}

/** The PEM bundle of the request's CA and the connection's (or the caller's), or undefined when neither has one. */
function trustedCas(requestCa: string | undefined, connectionCa: string | undefined): string | undefined {
  const first = requestCa?.trim();
  const second = connectionCa?.trim();
  return first && second ? `${first}\n${second}` : first || second || undefined;
}

function failure(err: HttpRequestError, state: RunState): HttpErrorResult {
  const timings = state.timing.toTimings(performance.now() - state.started);
  return {
    ok: false,
    kind: err.kind,
    message: state.masker.text(err.message),
    attempts: state.attempts,
    redirects: maskRedirects(state),
    timings,
    ...(err.response ? { response: state.masker.value(err.response) } : {}),
    ...(state.requests ? { requests: withProtocols(state.requests, timings) } : {}),
    ...(state.proxy ? { proxy: state.proxy } : {}),
  };
}

function shownProxy(plan: ProxyPlan, url: URL): string | undefined {
  const server = plan.routeFor(url);
  return server ? describeProxy(server) : undefined;
}

function maskRedirects(state: RunState): RedirectHop[] {
  return state.redirects.map((r) => ({ ...r, url: shownUrl(r.url, state), location: shownUrl(r.location, state) }));
}

/** Every URL a result shows or a run stores: no userinfo, credential parameters and known secrets masked. */
function shownUrl(url: URL | string, state: RunState): string {
  return state.masker.text(urlWithoutCredentials(url, state.credentialQueryParams));
}

function retryAfter(res: AttemptResponse, options: ExecuteOptions): number | undefined {
  if (!RETRY_AFTER_STATUSES.includes(res.status)) return undefined;
  const ms = parseRetryAfter(firstHeader(res.headers["retry-after"]));
  return ms === undefined ? undefined : Math.min(ms, options.retry?.maxRetryAfterMs ?? 30_000);
}

function backoff(spec: RequestSpec, retry: number, options: ExecuteOptions): number {
  return backoffDelay(retry, {
    delayMs: spec.retryDelayMs,
    exponential: spec.exponentialBackoff,
    baseDelayMs: options.retry?.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs,
  });
}

function hostPort(url: URL | undefined): { host: string; port: string } {
  if (!url) return { host: "the server", port: "" };
  return { host: url.hostname, port: url.port || (url.protocol === "https:" ? "443" : "80") };
}
