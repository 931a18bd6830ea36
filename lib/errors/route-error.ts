import { BodyTooLargeError } from "@/lib/inbound/read-body";
import { ServiceError, serviceErrorHeaders, serviceErrorStatus } from "./service-error";

/**
 * The answer of an app route handler (not the REST API, whose body shape is in lib/api/responses.ts)
 * when its service throws: a ServiceError keeps its message and gets its mapped status; anything
 * else is logged by type only (inputs may hold secrets) and answered as a 500 that reveals nothing.
 */
export function routeErrorResponse(error: unknown, logLabel: string, fallbackMessage: string, options: { fieldErrors?: boolean } = {}): Response {
  if (error instanceof BodyTooLargeError) {
    return Response.json({ error: error.message }, { status: 413, headers: { "Cache-Control": "no-store" } });
  }
  if (error instanceof ServiceError) {
    // With `fieldErrors`, for a route whose form puts a refused field's message on that field (the builder).
    const fields = options.fieldErrors && error.fieldErrors ? { fieldErrors: error.fieldErrors } : {};
    return Response.json(
      { error: error.message, ...fields },
      {
        status: serviceErrorStatus(error),
        headers: { "Cache-Control": "no-store", ...serviceErrorHeaders(error) },
      },
    );
  }
  console.error(`[plugboard] ${logLabel} failed:`, error instanceof Error ? error.name : "unknown");
  return Response.json({ error: fallbackMessage }, { status: 500, headers: { "Cache-Control": "no-store" } });
}
