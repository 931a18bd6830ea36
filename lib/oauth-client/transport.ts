import * as oauth from "oauth4webapi";
import { createMasker, type Masker } from "@/lib/http/mask";
import { OAuthCallbackError, OAuthConfigError, OAuthError, OAuthProtocolError, OAuthProviderError, OAuthTransientError } from "./errors";

/** Options every function of this module takes. */
export interface OAuthRequestOptions {
  /** Fetch to use (e.g. the SSRF-guarded one from lib/http). Default: global fetch. */
  fetch?: typeof fetch;
  /** Allow http:// endpoints. Only for local test servers; off by default. */
  allowInsecureRequests?: boolean;
  /** Per HTTP request. Default 15 s. */
  timeoutMs?: number;
  /**
   * The caller's secrets (e.g. a connection's), masked in every error this module returns, on top of what
   * the call itself sent (client secret, refresh token, code, code verifier).
   */
  masker?: Masker;
}

/** Masks what a call sent and the caller's secrets: a provider may echo any of them in its error. */
export function callMasker(opts: OAuthRequestOptions, sent: Array<string | undefined>): Masker {
  return createMasker(() => [...sent.filter((s): s is string => !!s), ...(opts.masker?.secrets() ?? [])]);
}

export const DEFAULT_TIMEOUT_MS = 15_000;

type FetchInit = {
  method: string;
  headers: Record<string, string>;
  body?: BodyInit | null;
  redirect?: "manual";
  signal?: AbortSignal;
};

/** oauth4webapi's HttpRequestOptions for our options. */
export function requestOptions(opts: OAuthRequestOptions = {}, headers?: Record<string, string>) {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = opts.fetch ?? globalThis.fetch;
  return {
    headers,
    signal: () => AbortSignal.timeout(timeoutMs),
    // Only failures of the HTTP call itself are classified here; anything else the given fetch throws
    // (e.g. an SSRF guard refusing the address) passes through unchanged.
    [oauth.customFetch]: async (url: string, init: FetchInit) => {
      try {
        return await doFetch(url, init);
      } catch (err) {
        throw transportFailure(err, url, timeoutMs) ?? err;
      }
    },
    [oauth.allowInsecureRequests]: opts.allowInsecureRequests === true,
  };
}

/** Refuses http:// for URLs we build ourselves (oauth4webapi checks the ones it requests). */
export function assertUrlAllowed(url: string, opts: OAuthRequestOptions = {}): void {
  if (new URL(url).protocol !== "https:" && opts.allowInsecureRequests !== true) {
    throw new OAuthConfigError(`${url} is not https://; only https:// OAuth endpoints are allowed`);
  }
}

function transportFailure(err: unknown, url: string, timeoutMs: number): OAuthTransientError | undefined {
  const host = URL.parse(url)?.host ?? url;
  // An SSRF guard's refusal (code ERR_ADDRESS_GUARD somewhere in the causes) is final: never a transient failure.
  if (hasAddressGuardCause(err)) return undefined;
  const name = (err as Error)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new OAuthTransientError(`${host} did not answer within ${timeoutMs / 1000} s`, "timeout", undefined, { cause: err });
  }
  // undici reports connection failures as TypeError("fetch failed") with the socket error as cause.
  if (err instanceof TypeError && (err.message === "fetch failed" || typeof (err.cause as { code?: unknown })?.code === "string")) {
    const code = (err.cause as { code?: string })?.code;
    return new OAuthTransientError(`Could not reach ${host}${code ? ` (${code})` : ""}`, "network", undefined, { cause: err });
  }
  return undefined;
}

function hasAddressGuardCause(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === "object" && depth < 8; depth++) {
    if ((cur as { code?: unknown }).code === "ERR_ADDRESS_GUARD") return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

const TRANSIENT_CODES = new Set(["temporarily_unavailable", "server_error"]);

/**
 * Turns whatever oauth4webapi threw into one of our typed errors, masked: the one place the provider's words
 * (error, error_description, its answers) become text we show, store or log.
 * @param subject what was sent, for messages: "the refresh token", "the authorization code", ...
 */
export async function toOAuthError(err: unknown, subject: string, masker: Masker): Promise<Error> {
  const classified = await classify(err, subject);
  return classified instanceof OAuthError ? classified.masked(masker) : classified;
}

async function classify(err: unknown, subject: string): Promise<Error> {
  if (err instanceof OAuthError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    return providerError(err.error, err.error_description, err.status, subject, err);
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    if (err.status >= 500 || err.status === 429) return statusError(err.status, subject, err);
    const fromHeader = err.cause.find((c) => c.parameters.error)?.parameters;
    const body = (await err.response.json().catch(() => undefined)) as { error?: unknown; error_description?: unknown } | undefined;
    const code = fromHeader?.error ?? (typeof body?.error === "string" ? body.error : "invalid_client");
    const desc = fromHeader?.error_description ?? (typeof body?.error_description === "string" ? body.error_description : undefined);
    return providerError(code, desc, err.status, subject, err);
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    const what = err.error === "access_denied" ? "Access was denied at the provider" : "The provider refused the authorization";
    return new OAuthProviderError(`${what} (${describe(err.error, err.error_description)})`, err.error, err.error_description, undefined, {
      cause: err,
    });
  }
  if (err instanceof oauth.OperationProcessingError) {
    const status = err.cause instanceof Response ? err.cause.status : undefined;
    if (status !== undefined && (status >= 500 || status === 429)) return statusError(status, subject, err);
    switch (err.code) {
      case oauth.HTTP_REQUEST_FORBIDDEN:
        return new OAuthConfigError(`Only https:// OAuth endpoints are allowed (${String(err.cause)})`, { cause: err });
      case oauth.MISSING_SERVER_METADATA:
      case oauth.INVALID_SERVER_METADATA:
        return new OAuthConfigError(`The OAuth endpoints are not configured correctly: ${err.message}`, { cause: err });
      case oauth.JWT_CLAIM_COMPARISON: {
        const iss = (err.cause as { claim?: string; claims?: { iss?: unknown } })?.claims?.iss;
        if ((err.cause as { claim?: string })?.claim === "iss") {
          return new OAuthProtocolError(
            `The provider returned an ID token from issuer ${String(iss)}, which is not this connection's issuer; ` +
              "set the issuer (e.g. via discovery) to accept it",
            undefined,
            { cause: err },
          );
        }
      }
    }
    const at = status !== undefined ? ` (HTTP ${status})` : "";
    return new OAuthProtocolError(`The provider's answer to ${subject} was not usable${at}: ${err.message}`, status, { cause: err });
  }
  if (err instanceof oauth.UnsupportedOperationError) {
    return new OAuthProtocolError(`The provider's answer to ${subject} is not supported: ${err.message}`, undefined, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Errors of oauth4webapi's callback validation, where "invalid response" means state or iss. */
export function toCallbackError(err: unknown): unknown {
  if (!(err instanceof oauth.OperationProcessingError) || err.code !== oauth.INVALID_RESPONSE) return err;
  const reason = /"iss"/.test(err.message) ? "issuer_mismatch" : /"state"/.test(err.message) ? "state_mismatch" : "invalid_response";
  const message =
    reason === "state_mismatch"
      ? "The callback's state does not match this authorization request; start the connection again"
      : reason === "issuer_mismatch"
        ? "The callback did not come from the expected provider (iss check failed); start the connection again"
        : `The callback is not a valid authorization response: ${err.message}`;
  return new OAuthCallbackError(message, reason, { cause: err });
}

function providerError(code: string, desc: string | undefined, status: number, subject: string, cause: unknown): Error {
  if (status === 429) return statusError(status, subject, cause);
  if (TRANSIENT_CODES.has(code)) {
    return new OAuthTransientError(`The provider is temporarily unable to handle ${subject} (${describe(code, desc)})`, "server_error", status, {
      cause,
    });
  }
  return new OAuthProviderError(`The provider refused ${subject} (${describe(code, desc)})`, code, desc, status, { cause });
}

function statusError(status: number, subject: string, cause: unknown): OAuthTransientError {
  const reason = status === 429 ? "rate_limited" : "server_error";
  return new OAuthTransientError(`The provider answered HTTP ${status} to ${subject}; try again later`, reason, status, { cause });
}

function describe(code: string, desc: string | undefined): string {
  return desc ? `${code}: ${desc}` : code;
}
