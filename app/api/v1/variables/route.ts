import { apiRouteHandler } from "@/lib/api/handler";
import { createVariableRoute, listVariablesRoute } from "@/lib/api/routes/variables";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listVariablesRoute);
export const POST = apiRouteHandler(createVariableRoute);
