import { apiRouteHandler } from "@/lib/api/handler";
import { deleteApplicationRoute, getApplicationRoute, updateApplicationRoute } from "@/lib/api/routes/applications";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(getApplicationRoute);
export const PATCH = apiRouteHandler(updateApplicationRoute);
export const DELETE = apiRouteHandler(deleteApplicationRoute);
