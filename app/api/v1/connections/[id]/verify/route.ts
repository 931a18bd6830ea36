import { apiRouteHandler } from "@/lib/api/handler";
import { verifyConnectionRoute } from "@/lib/api/routes/connections";

export const dynamic = "force-dynamic";

export const POST = apiRouteHandler(verifyConnectionRoute);
