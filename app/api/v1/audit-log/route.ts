import { apiRouteHandler } from "@/lib/api/handler";
import { listAuditLogRoute } from "@/lib/api/routes/audit-log";

export const dynamic = "force-dynamic";

export const GET = apiRouteHandler(listAuditLogRoute);
