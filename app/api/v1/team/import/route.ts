import { apiRouteHandler } from "@/lib/api/handler";
import { importTeamRoute } from "@/lib/api/routes/team-bundle";

export const dynamic = "force-dynamic";

export const POST = apiRouteHandler(importTeamRoute);
