import { getDb } from "@/db";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return handleTokenRequest(await getDb(), request);
}
