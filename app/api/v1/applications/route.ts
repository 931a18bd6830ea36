import { apiRouteHandler } from "@/lib/api/handler";
import { createApplicationRoute, listApplicationsRoute } from "@/lib/api/routes/applications";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listApplicationsRoute);
export const POST = apiRouteHandler(createApplicationRoute);
