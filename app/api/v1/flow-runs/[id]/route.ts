import { apiRouteHandler } from "@/lib/api/handler";
import { getFlowRunRoute } from "@/lib/api/routes/flows";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(getFlowRunRoute);
