import { apiRouteHandler } from "@/lib/api/handler";
import { previewTeamImportRoute } from "@/lib/api/routes/team-bundle";

export const dynamic = "force-dynamic";

export const POST = apiRouteHandler(previewTeamImportRoute);
