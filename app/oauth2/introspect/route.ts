import { introspectionEndpoint } from "@/lib/oauth-server/endpoints";

export const dynamic = "force-dynamic";

export const POST = introspectionEndpoint;
