import { getDb } from "@/db";
import { handleMcpRequest } from "@/lib/mcp/endpoint";

export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  return handleMcpRequest(await getDb(), request);
}

export { handle as GET, handle as POST, handle as DELETE };
