import type { Masker } from "@/lib/http/mask";

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
  /**
   * The same error with every text masked and without its cause (which holds the provider's raw answer):
   * what leaves this module, so a provider echoing a secret cannot put it in a message, a page or a log.
   */
  abstract masked(masker: Masker): OAuthError;
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

  masked(m: Masker): OAuthProviderError {
    return new OAuthProviderError(m.text(this.message), m.text(this.error), this.errorDescription && m.text(this.errorDescription), this.status);
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

  masked(m: Masker): OAuthTransientError {
    return new OAuthTransientError(m.text(this.message), this.reason, this.status);
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

  masked(m: Masker): OAuthCallbackError {
    return new OAuthCallbackError(m.text(this.message), this.reason);
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

  masked(m: Masker): OAuthProtocolError {
    return new OAuthProtocolError(m.text(this.message), this.status);
  }
}

export class OAuthConfigError extends OAuthError {
  readonly kind = "config";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OAuthConfigError";
  }

  masked(m: Masker): OAuthConfigError {
    return new OAuthConfigError(m.text(this.message));
  }
}
