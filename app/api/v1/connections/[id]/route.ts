import { apiRouteHandler } from "@/lib/api/handler";
import { deleteConnectionRoute, getConnectionRoute, updateConnectionRoute } from "@/lib/api/routes/connections";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(getConnectionRoute);
export const PUT = apiRouteHandler(updateConnectionRoute);
export const DELETE = apiRouteHandler(deleteConnectionRoute);
