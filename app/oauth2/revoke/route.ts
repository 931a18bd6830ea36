import { getDb } from "@/db";
import { handleRevocationRequest } from "@/lib/oauth-server/revoke-introspect";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleRevocationRequest(await getDb(), request);
}
