import { apiRouteHandler } from "@/lib/api/handler";
import { getFlowRoute } from "@/lib/api/routes/flows";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(getFlowRoute);
