import { buildOpenApiDocument } from "@/lib/api/openapi";

// The server URLs come from the runtime configuration.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(buildOpenApiDocument(), { headers: { "Access-Control-Allow-Origin": "*" } });
}
