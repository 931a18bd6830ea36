/**
 * Errors a service raises on purpose. Edges (server actions, route handlers) turn them into form errors or
 * HTTP responses; anything else is an unexpected failure and is reported generically.
 */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly code: "not_found" | "forbidden" | "conflict" | "invalid" | "rate_limited" | "unauthenticated" = "invalid",
    /** Field name -> message, shown next to the field. */
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export class NotFoundError extends ServiceError {
  constructor(what = "That item") {
    super(`${what} was not found.`, "not_found");
  }
}

export class ForbiddenError extends ServiceError {
  constructor(message = "You do not have permission to do that.") {
    super(message, "forbidden");
  }
}

/** The server has no capacity for this now (a queue bound was reached); edges answer 429 with Retry-After. */
export class BusyError extends ServiceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, "rate_limited");
    this.name = "BusyError";
  }
}
