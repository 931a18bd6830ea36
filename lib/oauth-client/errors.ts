/**
 * What can go wrong talking OAuth, split by what the caller should do about it:
 * - OAuthProviderError: the provider said no (invalid_grant → mark the connection "needs reauthorization").
 * - OAuthTransientError: network, timeout, 429/5xx → retry later, change nothing.
 * - OAuthCallbackError: the callback failed validation (state, issuer, missing code) → restart the flow.
 * - OAuthProtocolError: the provider answered something unusable (not OAuth, bad metadata).
 * - OAuthConfigError: the connection settings are wrong (bad URL, http:// without allowInsecureRequests).
 */
export abstract class OAuthError extends Error {
  abstract readonly kind: "provider" | "transient" | "callback" | "protocol" | "config";
}

export class OAuthProviderError extends OAuthError {
  readonly kind = "provider";
  constructor(
    message: string,
    /** OAuth error code, e.g. invalid_grant, invalid_client, access_denied. */
    readonly error: string,
    readonly errorDescription: string | undefined,
    /** HTTP status of the token endpoint answer; undefined for errors delivered on the callback. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OAuthProviderError";
  }

  /** The grant (refresh token, code) is dead: the user has to authorize again. */
  get isInvalidGrant(): boolean {
    return this.error === "invalid_grant";
  }
}

export class OAuthTransientError extends OAuthError {
  readonly kind = "transient";
  constructor(
    message: string,
    readonly reason: "network" | "timeout" | "server_error" | "rate_limited",
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OAuthTransientError";
  }
}

export class OAuthCallbackError extends OAuthError {
  readonly kind = "callback";
  constructor(
    message: string,
    readonly reason: "state_mismatch" | "issuer_mismatch" | "missing_code" | "invalid_response",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OAuthCallbackError";
  }
}

export class OAuthProtocolError extends OAuthError {
  readonly kind = "protocol";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OAuthProtocolError";
  }
}

export class OAuthConfigError extends OAuthError {
  readonly kind = "config";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OAuthConfigError";
  }
}
