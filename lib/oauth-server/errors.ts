import { type Answer, jsonAnswer } from "@/lib/inbound/answer";

/** RFC 6749 §5.2 (token endpoint) and §4.1.2.1 (authorization endpoint) error codes, with OpenID Connect Core §3.1.2.6's for `prompt`. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "access_denied"
  | "unsupported_response_type"
  | "server_error"
  | "temporarily_unavailable"
  | "login_required"
  | "consent_required"
  | "interaction_required"
  | "account_selection_required";

/** Longest error_description sent; the text is ours, so this only stops a mistake from growing it. */
const MAX_DESCRIPTION = 300;

/**
 * RFC 6749 §5.2 and §4.1.2.1: error_description holds only %x20-21 / %x23-5B / %x5D-7E (printable ASCII
 * without `"` and `\`). Every description goes through here, so no caller can send other characters.
 */
export function errorDescription(text: string): string {
  const clean = text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "?");
  return clean.length > MAX_DESCRIPTION ? `${clean.slice(0, MAX_DESCRIPTION - 3)}...` : clean;
}

/** A value from the request named in a description: cut to a short limit so nothing unbounded is echoed. */
export function echoInput(value: string, max = 40): string {
  return value.length > max ? `${value.slice(0, max)}...` : value;
}

/** Names a few of the values (unknown scopes, say) and counts the rest. */
export function echoList(values: string[], shown = 3): string {
  const named = values
    .slice(0, shown)
    .map((v) => echoInput(v))
    .join(" ");
  return values.length > shown ? `${named} and ${values.length - shown} more` : named;
}

/** A refusal the token, revocation or introspection endpoint answers with its RFC error body. */
export class OAuthError extends Error {
  readonly description: string;

  constructor(
    readonly error: OAuthErrorCode,
    description: string,
    readonly status = error === "invalid_client" ? 401 : 400,
    /** Set by client authentication: answer a 401 with WWW-Authenticate, or a 429 with Retry-After. */
    readonly extra: { basicAuthUsed?: boolean; retryAfter?: number } = {},
  ) {
    const safe = errorDescription(description);
    super(safe);
    this.description = safe;
    this.name = "OAuthError";
  }
}

/**
 * RFC 6749 §5.1: token answers are never cached. no-transform also keeps Next.js from gzipping them (its
 * compression honours it): a few hundred bytes of random token gain nothing, and compressing each one
 * cost about a tenth of the server's CPU per token.
 */
export const NO_STORE = { "Cache-Control": "no-store, no-transform", Pragma: "no-cache" } as const;

export function oauthErrorAnswer(error: OAuthError): Answer {
  const options = error.extra;
  const headers: Record<string, string> = { ...NO_STORE };
  // RFC 6749 §5.2: a 401 after HTTP Basic must say which scheme to use.
  if (error.status === 401 && options.basicAuthUsed) headers["WWW-Authenticate"] = 'Basic realm="plugboard", charset="UTF-8"';
  if (options.retryAfter) headers["Retry-After"] = String(options.retryAfter);
  return jsonAnswer({ error: error.error, error_description: error.description }, { status: error.status, headers });
}
