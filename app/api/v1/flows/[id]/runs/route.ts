import { apiRouteHandler } from "@/lib/api/handler";
import { listFlowRunsRoute, runFlowRoute } from "@/lib/api/routes/flows";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listFlowRunsRoute);
export const POST = apiRouteHandler(runFlowRoute);
