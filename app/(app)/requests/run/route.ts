import { getDb } from "@/db";
import { zodFieldErrors } from "@/lib/auth/action";
import { getTeamContext } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { BodyTooLargeError, readBodyJson } from "@/lib/inbound/read-body";
import { findNul, NUL_MESSAGE } from "@/lib/validation/fields";
import { resolveRunConnection } from "@/lib/requests/resolve-connection";
import { runRequest } from "@/lib/requests";
import { runRequestSchema } from "@/lib/requests/schemas";
import { routeErrorResponse } from "@/lib/errors/route-error";

/**
 * Runs a request from the builder. A route rather than a server action so the browser can cancel it:
 * closing the fetch aborts `request.signal`, which the executor honours.
 */
export async function POST(request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  // Cookies are SameSite=Lax and the body is JSON, but refuse other sites explicitly too.
  if (origin && (!URL.canParse(origin) || new URL(origin).host !== request.headers.get("host"))) {
    return Response.json({ error: "Cross-site requests are refused." }, { status: 403 });
  }
  const ctx = await getTeamContext();
  if (!ctx) return Response.json({ error: "Your session has ended. Sign in again." }, { status: 401 });
  const body = await readBodyJson(request, getEnv().maxUploadBytes).catch((error: unknown) => error);
  if (body instanceof BodyTooLargeError) return Response.json({ error: body.message }, { status: 413 });
  const nul = body instanceof Error ? null : findNul(body);
  if (nul) return Response.json({ error: "Check the highlighted fields.", fieldErrors: { [nul.join(".")]: NUL_MESSAGE } }, { status: 400 });
  const parsed = runRequestSchema.safeParse(body instanceof Error ? null : body);
  if (!parsed.success) return Response.json({ error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) }, { status: 400 });
  const db = await getDb();
  try {
    const connection = await resolveRunConnection(db, ctx, parsed.data.connectionId);
    const view = await runRequest(
      db,
      ctx,
      { spec: parsed.data.spec, connection, pagination: parsed.data.pagination, cookieSession: parsed.data.cookieSession },
      { signal: request.signal },
    );
    return Response.json(view, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    // A field the server refused ({{vars.NAME}} naming no variable): the form puts the message on that field.
    return routeErrorResponse(error, "request run", "The request could not be run. Please try again.", { fieldErrors: true });
  }
}
