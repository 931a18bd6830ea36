import { getDb } from "@/db";
import { handleIntrospectionRequest, handleRevocationRequest } from "./revoke-introspect";
import { handleTokenRequest } from "./token-endpoint";

/**
 * The token, revocation and introspection endpoints as route handlers, on the app's database: what their
 * app/oauth2/<name>/route.ts files export (Next.js) and what the production server's direct routes serve.
 */
export const tokenEndpoint = async (request: Request): Promise<Response> => handleTokenRequest(await getDb(), request);
export const revocationEndpoint = async (request: Request): Promise<Response> => handleRevocationRequest(await getDb(), request);
export const introspectionEndpoint = async (request: Request): Promise<Response> => handleIntrospectionRequest(await getDb(), request);
