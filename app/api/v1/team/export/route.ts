import { apiRouteHandler } from "@/lib/api/handler";
import { exportTeamRoute } from "@/lib/api/routes/team-bundle";

export const dynamic = "force-dynamic";

export const POST = apiRouteHandler(exportTeamRoute);
