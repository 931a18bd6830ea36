/**
 * Errors a service raises on purpose. Edges (server actions, route handlers) turn them into form errors or
 * HTTP responses; anything else is an unexpected failure and is reported generically.
 */
export type ServiceErrorCode = "not_found" | "forbidden" | "conflict" | "invalid" | "rate_limited" | "unauthenticated";

export class ServiceError extends Error {
  constructor(
    message: string,
    readonly code: ServiceErrorCode = "invalid",
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

/** The one mapping from a service error to its HTTP status, used by every route handler and the REST API. */
export const SERVICE_ERROR_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
} as const satisfies Record<ServiceErrorCode, number>;

export function serviceErrorStatus(error: ServiceError): number {
  return SERVICE_ERROR_STATUS[error.code];
}

/** Headers that go with a service error's status: Retry-After when the server is busy. */
export function serviceErrorHeaders(error: ServiceError): Record<string, string> {
  return error instanceof BusyError ? { "Retry-After": String(error.retryAfterSeconds) } : {};
}
