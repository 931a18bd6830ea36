import "server-only";
import { getDb } from "@/db";
import { clientIp } from "@/lib/auth/client-ip";
import { getEnv } from "@/lib/config/env";
import { type Answer, emptyAnswer, jsonAnswer, routeHandler } from "@/lib/inbound/answer";
import { BodyTooLargeError, type InboundRequest, inboundRequest, readBodyJson } from "@/lib/inbound/read-body";
import { findNul, NUL_MESSAGE } from "@/lib/validation/fields";
import { hasRole } from "@/lib/auth/team-context";
import { authenticateBearer } from "./bearer";
import type { ApiRoute } from "./define-route";
import { apiError, bearerChallenge, insufficientScope, serviceErrorAnswer, validationError } from "./responses";

/** A NUL anywhere in the input (a key, a value deep in JSON) is a 400 naming where, never a database error. */
function nulField(where: "query" | "body", path: (string | number)[]): Answer {
  return apiError(400, {
    error: "invalid_request",
    error_description: "Some fields are invalid.",
    fields: { [[where, ...path].join(".")]: NUL_MESSAGE },
  });
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * Turns an ApiRoute into a Next.js route handler: token, then scope, then role, then input validation,
 * then the handler; its result is checked against the response schema before it is sent.
 * Usage in app/api/v1/<path>/route.ts: `export const GET = apiRouteHandler(listThingsRoute);`
 */
export function apiRouteHandler(route: ApiRoute) {
  return routeHandler(apiRouteAnswer(route));
}

/** The same route answering as the production server's direct routes send it (lib/inbound/answer.ts). */
export function apiRouteAnswer(route: ApiRoute) {
  // A Web Request from Next.js (next dev, tests), an InboundRequest from the production server's direct routes.
  return async (webOrInbound: Request | InboundRequest, context?: RouteContext): Promise<Answer> => {
    const request = inboundRequest(webOrInbound);
    const db = await getDb();
    const principal = await authenticateBearer(db, request.headers, clientIp(request.headers));
    if ("status" in principal) return bearerChallenge(principal);
    if (!principal.scopes.includes(route.scope)) return insufficientScope(route.scope);
    const role = route.role ?? "member";
    if (!hasRole(principal.ctx, role)) {
      return apiError(403, {
        error: "forbidden",
        error_description: `This operation needs the ${role} role; the token acts as ${principal.ctx.role}.`,
      });
    }

    const params = route.params ? route.params.safeParse((await context?.params) ?? {}) : { success: true as const, data: undefined };
    if (!params.success) return validationError("params", params.error);
    const rawQuery = Object.fromEntries(new URL(request.url).searchParams);
    const nulInQuery = findNul(rawQuery);
    if (nulInQuery) return nulField("query", nulInQuery);
    const query = route.query ? route.query.safeParse(rawQuery) : { success: true as const, data: undefined };
    if (!query.success) return validationError("query", query.error);
    let body: { success: true; data: unknown } | { success: false; error: import("zod").ZodError } = { success: true, data: undefined };
    if (route.body) {
      const limit = route.bodyLimit === "upload" ? getEnv().maxUploadBytes : getEnv().maxBodyBytes;
      // Read after the token check, so an anonymous caller never makes us read a body; capped in any case.
      const json = await readBodyJson(request, limit).catch((error: unknown) => error);
      if (json instanceof BodyTooLargeError) return apiError(413, { error: "payload_too_large", error_description: json.message });
      if (json instanceof Error || json === undefined)
        return apiError(400, { error: "invalid_request", error_description: "The body must be JSON.", fields: { body: "Send a JSON body." } });
      const nulInBody = findNul(json);
      if (nulInBody) return nulField("body", nulInBody);
      body = route.body.safeParse(json);
      if (!body.success) return validationError("body", body.error);
    }

    try {
      const result = await route.handler({
        ctx: principal.ctx,
        principal,
        db,
        params: params.data,
        query: query.data,
        body: body.data,
        request,
      } as never);
      if (route.status === 204) return emptyAnswer(204, { "Cache-Control": "no-store" });
      return jsonAnswer(route.response.parse(result), { status: route.status ?? 200, headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return serviceErrorAnswer(error);
    }
  };
}
