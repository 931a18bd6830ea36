import { getDb } from "@/db";
import { handleIntrospectionRequest } from "@/lib/oauth-server/revoke-introspect";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleIntrospectionRequest(await getDb(), request);
}
