import "server-only";
import type { Dispatcher } from "undici";
import type { AttemptSignal } from "./cancellation";
import type { RunCookieJar } from "./cookie-jar";
import { applyCredentials, copyCredentials, isHostAllowed, NO_CREDENTIALS, stripCredentials } from "./credentials";
import { HttpRequestError } from "./errors";
import { type IncomingBody, type IncomingHeaders, sendRequest } from "./incoming-response";
import { discardBody } from "./read-response";
import type { RunTiming } from "./request-timing";
import type { RequestSpec } from "./spec";
import type { CredentialProvider, OutgoingRequest, RedirectHop } from "./types";

export interface AttemptInput {
  spec: RequestSpec;
  url: URL;
  /** The user's headers and defaults, without credentials. */
  headers: Headers;
  body?: Uint8Array;
  provider?: CredentialProvider;
  forceRefresh: boolean;
  /** The WWW-Authenticate of the response that refused the previous attempt's credentials. */
  challenge?: string;
  dispatcher: Dispatcher;
  signal: AttemptSignal;
  /** Filled with each redirect followed, so a failure later in the chain still reports the hops before it. */
  redirects: RedirectHop[];
  /** Records each hop's phases; attempt is the executor's count. */
  timing?: { recorder: RunTiming; attempt: number };
  /** A flow run's cookies: added to each hop they apply to, and filled from each response. */
  cookies?: RunCookieJar;
  /** Told of each hop just before it is sent (debug output, error wording). */
  observer: SendObserver;
}

export type SentRequest = { method: string; url: URL; headers: Headers; body?: Uint8Array };

export interface SendObserver {
  onSend(req: SentRequest): void;
}

export interface AttemptResponse {
  status: number;
  statusText: string;
  headers: IncomingHeaders;
  body: IncomingBody;
  url: URL;
  redirects: RedirectHop[];
  ttfbMs: number;
  /** The response came from the connection's origin with its credentials on. */
  credentialed: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Headers describing a body; dropped when a redirect turns the request into a body-less GET (Fetch spec).
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

/**
 * Sends one attempt and follows its redirects by hand, so the address guard, the connection's allowed hosts
 * and the credential rules are applied again on every hop. Returns the final response with its body unread.
 */
export async function runAttempt(input: AttemptInput): Promise<AttemptResponse> {
  const { spec, provider } = input;
  let method: string = spec.method;
  // A provider may add to the URL and headers (query credentials, signatures): it gets copies, so the next
  // attempt starts from the user's own. Without one, nothing changes them before a redirect.
  let url = provider ? new URL(input.url) : input.url;
  // The user's body, and the one sent: a signer may add its parameters to a form body (OAuth 1.0a).
  let userBody = input.body;
  let body = userBody;
  let userHeaders = input.headers;
  let headers = provider ? new Headers(userHeaders) : userHeaders;
  const origin = url.origin;
  let leftOrigin = false;
  let applied = NO_CREDENTIALS;
  if (provider) {
    const first: OutgoingRequest = { method, url, headers, body };
    applied = await applyCredentials(provider, first, { forceRefresh: input.forceRefresh, challenge: input.challenge });
    body = first.body;
  }
  const redirects = input.redirects;
  const follows = spec.followAllRedirects || (spec.followRedirect && (spec.method === "GET" || spec.method === "HEAD"));

  for (;;) {
    if (provider && !isHostAllowed(url, provider.allowedHosts)) throw hostNotAllowed(url, provider, redirects.length > 0);
    const sent = input.cookies ? await withCookies(headers, input.cookies, url) : headers;
    input.observer.onSend({ method, url, headers: sent, body });
    const sentAt = performance.now();
    input.timing?.recorder.sending(input.timing.attempt, redirects.length);
    const pending = sendRequest(
      input.dispatcher,
      url,
      { method: method as Dispatcher.HttpMethod, headers: Object.fromEntries(sent), body },
      input.signal,
    );
    input.timing?.recorder.dispatched();
    const res = await pending;
    const ttfbMs = performance.now() - sentAt;
    // Every hop's cookies are kept, a redirect's too (a login that sets a session and redirects).
    if (input.cookies) await input.cookies.store(res.headers["set-cookie"], url);
    const location = firstHeader(res.headers.location);
    if (!REDIRECTS.has(res.statusCode) || !location || !follows) {
      return {
        status: res.statusCode,
        statusText: res.statusText,
        headers: res.headers,
        body: res.body,
        url,
        redirects,
        ttfbMs,
        credentialed: !!provider && !leftOrigin,
      };
    }
    await discardBody(res.body);
    if (redirects.length >= spec.maxRedirects) {
      throw new HttpRequestError("too_many_redirects", `too many redirects: stopped after ${spec.maxRedirects} (the limit set for this request)`);
    }
    const next = parseLocation(location, url);
    redirects.push({ url: url.href, status: res.statusCode, location: next.href });
    // 303 always, and 301/302 after a POST, become a GET without body, as browsers and curl do.
    if ((res.statusCode === 303 && method !== "HEAD") || ((res.statusCode === 301 || res.statusCode === 302) && method === "POST")) {
      method = "GET";
      body = userBody = undefined;
      userHeaders = new Headers(userHeaders); // the caller's stay as they are for the next attempt
      for (const h of BODY_HEADERS) userHeaders.delete(h);
    }
    if (next.origin !== origin) leftOrigin = true;
    headers = new Headers(userHeaders);
    // Once a request has left the connection's origin its credentials never ride along again.
    if (leftOrigin) {
      stripCredentials(applied, next, headers);
      body = userBody;
    } else if (provider?.signsEachHop) {
      // A signature covers the method and URL: the next hop gets a signature of its own.
      const hop: OutgoingRequest = { method, url: next, headers, body: userBody };
      applied = await applyCredentials(provider, hop, { forceRefresh: false });
      body = hop.body;
    } else copyCredentials(applied, next, headers);
    url = next;
  }
}

/**
 * The hop's headers with the jar's cookies for its URL after any the request carries itself (a user's or a
 * connection's Cookie header); a copy, since the caller's headers are re-used by the next attempt.
 */
async function withCookies(headers: Headers, jar: RunCookieJar, url: URL): Promise<Headers> {
  const fromJar = await jar.cookieHeader(url);
  if (!fromJar) return headers;
  const copy = new Headers(headers);
  const own = copy.get("cookie");
  copy.set("cookie", own ? `${own}; ${fromJar}` : fromJar);
  return copy;
}

function parseLocation(location: string, base: URL): URL {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    throw new HttpRequestError("network", `the server redirected to an invalid URL: ${location}`);
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new HttpRequestError("invalid_request", `the server redirected to a ${next.protocol} URL; only http and https are followed`);
  }
  return next;
}

function hostNotAllowed(url: URL, provider: CredentialProvider, redirected: boolean): HttpRequestError {
  const allowed = provider.allowedHosts.length ? provider.allowedHosts.join(", ") : "none";
  const what = redirected ? `the server redirected to ${url.host}, which is` : `${url.host} is`;
  return new HttpRequestError("host_not_allowed", `host not allowed for this connection: ${what} not one of its allowed hosts (${allowed})`);
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
