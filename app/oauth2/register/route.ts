import { getDb } from "@/db";
import { handleRegistrationRequest } from "@/lib/oauth-server/registration";

export const dynamic = "force-dynamic";

/** RFC 7591 dynamic client registration (MCP clients register themselves here). */
export async function POST(request: Request): Promise<Response> {
  return handleRegistrationRequest(await getDb(), request);
}
