import { apiRouteHandler } from "@/lib/api/handler";
import { runRequestRoute } from "@/lib/api/routes/requests";

export const dynamic = "force-dynamic";

export const POST = apiRouteHandler(runRequestRoute);
