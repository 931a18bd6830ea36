import { apiRouteHandler } from "@/lib/api/handler";
import { regenerateApplicationSecretRoute } from "@/lib/api/routes/applications";

export const dynamic = "force-dynamic";

export const POST = apiRouteHandler(regenerateApplicationSecretRoute);
