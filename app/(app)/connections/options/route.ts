import { getDb } from "@/db";
import { getTeamContext } from "@/lib/auth/session";
import { getConnectionOptions, searchConnectionOptions } from "@/lib/connections";
import { connectionOptionsQuerySchema } from "@/lib/connections/list-query";
import { routeErrorResponse } from "@/lib/errors/route-error";

/**
 * The connection pickers' search (request builder, flow steps): `?q=` answers the team's first matches by
 * name or type in natural order (bounded, `more` says there are others); `?id=` (repeatable, at most 20)
 * answers those connections' names, for a picker showing a value it has not listed yet.
 */
export async function GET(request: Request): Promise<Response> {
  const ctx = await getTeamContext();
  if (!ctx) return Response.json({ error: "Your session has ended. Sign in again." }, { status: 401 });
  const params = new URL(request.url).searchParams;
  const headers = { "Cache-Control": "no-store" };
  try {
    const db = await getDb();
    const ids = params.getAll("id");
    if (ids.length > 20) return Response.json({ error: "id: at most 20." }, { status: 400 });
    if (ids.length) return Response.json({ options: await getConnectionOptions(db, ctx, ids), more: false }, { headers });
    const parsed = connectionOptionsQuerySchema.safeParse({ q: params.get("q") ?? "" });
    if (!parsed.success) return Response.json({ error: parsed.error.issues[0]?.message ?? "q: not valid." }, { status: 400 });
    return Response.json(await searchConnectionOptions(db, ctx, parsed.data), { headers });
  } catch (error) {
    return routeErrorResponse(error, "connection options", "The connections could not be listed. Please try again.");
  }
}
