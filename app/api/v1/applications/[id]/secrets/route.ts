import { apiRouteHandler } from "@/lib/api/handler";
import { addApplicationSecretRoute, listApplicationSecretsRoute } from "@/lib/api/routes/applications";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listApplicationSecretsRoute);
export const POST = apiRouteHandler(addApplicationSecretRoute);
