import { apiRouteHandler } from "@/lib/api/handler";
import { rotateAlertEndpointSecretRoute } from "@/lib/api/routes/alerts";

export const dynamic = "force-dynamic";

export const POST = apiRouteHandler(rotateAlertEndpointSecretRoute);
