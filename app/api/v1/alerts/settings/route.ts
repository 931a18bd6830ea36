import { apiRouteHandler } from "@/lib/api/handler";
import { getAlertSettingsRoute, updateAlertSettingsRoute } from "@/lib/api/routes/alerts";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(getAlertSettingsRoute);
export const PUT = apiRouteHandler(updateAlertSettingsRoute);
