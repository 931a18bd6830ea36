import { apiRouteHandler } from "@/lib/api/handler";
import { createConnectionRoute, listConnectionsRoute } from "@/lib/api/routes/connections";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listConnectionsRoute);
export const POST = apiRouteHandler(createConnectionRoute);
