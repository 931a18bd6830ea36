/** RFC 6749 §5.2 (token endpoint) and §4.1.2.1 (authorization endpoint) error codes. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "access_denied"
  | "unsupported_response_type"
  | "server_error"
  | "temporarily_unavailable";

/** A refusal the token, revocation or introspection endpoint answers with its RFC error body. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = error === "invalid_client" ? 401 : 400,
    /** Set by client authentication: answer a 401 with WWW-Authenticate, or a 429 with Retry-After. */
    readonly extra: { basicAuthUsed?: boolean; retryAfter?: number } = {},
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

export function oauthErrorResponse(error: OAuthError): Response {
  const options = error.extra;
  const headers: Record<string, string> = { ...NO_STORE };
  // RFC 6749 §5.2: a 401 after HTTP Basic must say which scheme to use.
  if (error.status === 401 && options.basicAuthUsed) headers["WWW-Authenticate"] = 'Basic realm="plugboard", charset="UTF-8"';
  if (options.retryAfter) headers["Retry-After"] = String(options.retryAfter);
  return Response.json({ error: error.error, error_description: error.description }, { status: error.status, headers });
}
