import { apiRouteHandler } from "@/lib/api/handler";
import { createAlertEndpointRoute, listAlertEndpointsRoute } from "@/lib/api/routes/alerts";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listAlertEndpointsRoute);
export const POST = apiRouteHandler(createAlertEndpointRoute);
