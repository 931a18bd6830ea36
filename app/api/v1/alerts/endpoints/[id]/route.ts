import { apiRouteHandler } from "@/lib/api/handler";
import { deleteAlertEndpointRoute } from "@/lib/api/routes/alerts";

export const dynamic = "force-dynamic";

export const DELETE = apiRouteHandler(deleteAlertEndpointRoute);
