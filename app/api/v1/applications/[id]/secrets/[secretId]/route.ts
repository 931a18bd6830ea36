import { apiRouteHandler } from "@/lib/api/handler";
import { revokeApplicationSecretRoute } from "@/lib/api/routes/applications";

export const dynamic = "force-dynamic";

export const DELETE = apiRouteHandler(revokeApplicationSecretRoute);
