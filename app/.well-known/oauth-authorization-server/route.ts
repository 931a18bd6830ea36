import { authorizationServerMetadata } from "@/lib/oauth-server/metadata";

// Read at request time: the issuer comes from the runtime configuration, not the build.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(authorizationServerMetadata(), { headers: { "Cache-Control": "public, max-age=300" } });
}
