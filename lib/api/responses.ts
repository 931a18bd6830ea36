import type { z } from "zod";
import { ServiceError, serviceErrorHeaders, serviceErrorStatus } from "@/lib/errors/service-error";
import { type Answer, jsonAnswer } from "@/lib/inbound/answer";
import type { BearerFailure } from "./bearer";

/** The error body every /api/v1 route uses; `fields` names each invalid input (query.page, body.name…). */
export type ApiErrorBody = { error: string; error_description: string; fields?: Record<string, string> };

const quote = (value: string) => `"${value.replace(/["\\]/g, "")}"`;

export function apiError(status: number, body: ApiErrorBody, headers: Record<string, string> = {}): Answer {
  return jsonAnswer(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** RFC 6750 §3: no error code when no token was sent, invalid_token otherwise. */
export function bearerChallenge(failure: BearerFailure): Answer {
  const parts = ['realm="plugboard"'];
  if (failure.error) parts.push(`error=${quote(failure.error)}`, `error_description=${quote(failure.description)}`);
  return apiError(
    401,
    { error: failure.error ?? "unauthorized", error_description: failure.description },
    { "WWW-Authenticate": `Bearer ${parts.join(", ")}` },
  );
}

export function insufficientScope(scope: string): Answer {
  return apiError(
    403,
    { error: "insufficient_scope", error_description: `This operation needs the ${scope} scope.` },
    { "WWW-Authenticate": `Bearer realm="plugboard", error="insufficient_scope", scope=${quote(scope)}` },
  );
}

export function validationError(where: "params" | "query" | "body", error: z.ZodError): Answer {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[[where, ...issue.path].join(".")] ??= issue.message;
  return apiError(400, { error: "invalid_request", error_description: "Some fields are invalid.", fields });
}

/** Typed service errors become their HTTP status (the one mapping in lib/errors); anything else is a 500 that reveals nothing. */
export function serviceErrorAnswer(error: unknown): Answer {
  if (error instanceof ServiceError) {
    const fields = error.fieldErrors && Object.fromEntries(Object.entries(error.fieldErrors).map(([k, v]) => [`body.${k}`, v]));
    return apiError(
      serviceErrorStatus(error),
      { error: error.code, error_description: error.message, ...(fields ? { fields } : {}) },
      serviceErrorHeaders(error),
    );
  }
  console.error("[plugboard] api route failed:", error instanceof Error ? `${error.name}: ${error.message}` : "unknown error");
  return apiError(500, { error: "server_error", error_description: "Something went wrong on the server." });
}
