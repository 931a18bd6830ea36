import { revocationEndpoint } from "@/lib/oauth-server/endpoints";

export const dynamic = "force-dynamic";

export const POST = revocationEndpoint;
