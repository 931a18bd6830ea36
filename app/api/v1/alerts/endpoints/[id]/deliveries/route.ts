import { apiRouteHandler } from "@/lib/api/handler";
import { listAlertDeliveriesRoute } from "@/lib/api/routes/alerts";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listAlertDeliveriesRoute);
