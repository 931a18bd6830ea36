import type { z } from "zod";
import type { Database } from "@/db";
import type { TeamRole } from "@/db/schema";
import type { ScopeName } from "@/lib/oauth-server/scopes";
import type { InboundRequest } from "@/lib/inbound/read-body";
import type { ApiPrincipal } from "./bearer";

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiHandlerInput<P, Q, B> = {
  ctx: ApiPrincipal["ctx"];
  principal: ApiPrincipal;
  db: Database;
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  request: InboundRequest;
};

/**
 * One `/api/v1` operation: what it needs (scope and minimum role), its inputs and output as zod schemas,
 * and the handler. The same object drives the route handler (lib/api/handler.ts) and the OpenAPI
 * document (lib/api/openapi.ts), so the documentation cannot drift from what the route accepts.
 */
export type ApiRoute<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI form, e.g. /api/v1/connections/{id}; the Next.js folder is app/api/v1/connections/[id]. */
  path: `/api/v1/${string}`;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  scope: ScopeName;
  /** The least role the token's member must have; scopes never widen it. Defaults to member. */
  role?: TeamRole;
  params?: P;
  query?: Q;
  body?: B;
  /** Which body cap applies: "upload" for bodies that may carry files (PLUGBOARD_MAX_UPLOAD_BYTES); otherwise PLUGBOARD_MAX_BODY_BYTES. */
  bodyLimit?: "standard" | "upload";
  response: R;
  /** Sends outbound requests, so it may answer 429 with Retry-After when the outbound limit is full. */
  outbound?: boolean;
  /** 200 by default; 204 sends no body. */
  status?: 200 | 201 | 204;
  handler: (input: ApiHandlerInput<P, Q, B>) => Promise<z.input<R>>;
};

export function defineApiRoute<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(route: ApiRoute<P, Q, B, R>): ApiRoute<P, Q, B, R> {
  return route;
}
