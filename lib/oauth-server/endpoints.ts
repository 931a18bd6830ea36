import { getDb } from "@/db";
import type { InboundRequest } from "@/lib/inbound/read-body";
import { handleIntrospectionRequest, handleRevocationRequest } from "./revoke-introspect";
import { handleTokenRequest } from "./token-endpoint";

/**
 * The token, revocation and introspection endpoints as route handlers, on the app's database: what their
 * app/oauth2/<name>/route.ts files export (Next.js, a Web Request) and what the production server's direct
 * routes serve (an InboundRequest read straight from Node's request).
 */
type FormEndpoint = (request: Request | InboundRequest) => Promise<Response>;
export const tokenEndpoint: FormEndpoint = async (request) => handleTokenRequest(await getDb(), request);
export const revocationEndpoint: FormEndpoint = async (request) => handleRevocationRequest(await getDb(), request);
export const introspectionEndpoint: FormEndpoint = async (request) => handleIntrospectionRequest(await getDb(), request);
