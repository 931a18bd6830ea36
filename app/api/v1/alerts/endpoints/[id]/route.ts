import { apiRouteHandler } from "@/lib/api/handler";
import { deleteAlertEndpointRoute, updateAlertEndpointRoute } from "@/lib/api/routes/alerts";

export const dynamic = "force-dynamic";

export const PATCH = apiRouteHandler(updateAlertEndpointRoute);
export const DELETE = apiRouteHandler(deleteAlertEndpointRoute);
