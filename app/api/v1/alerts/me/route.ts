import { apiRouteHandler } from "@/lib/api/handler";
import { getPersonalAlertsRoute, updatePersonalAlertsRoute } from "@/lib/api/routes/alerts";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(getPersonalAlertsRoute);
export const PUT = apiRouteHandler(updatePersonalAlertsRoute);
