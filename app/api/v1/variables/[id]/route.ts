import { apiRouteHandler } from "@/lib/api/handler";
import { deleteVariableRoute, getVariableRoute, updateVariableRoute } from "@/lib/api/routes/variables";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(getVariableRoute);
export const PUT = apiRouteHandler(updateVariableRoute);
export const DELETE = apiRouteHandler(deleteVariableRoute);
