import { protectedResourceMetadata } from "@/lib/mcp/resource-metadata";

// Read at request time: the resource comes from the runtime configuration, not the build.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(protectedResourceMetadata(), { headers: { "Cache-Control": "public, max-age=300" } });
}
