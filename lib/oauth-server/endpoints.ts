import { getDb } from "@/db";
import { type Answer, routeHandler } from "@/lib/inbound/answer";
import type { InboundRequest } from "@/lib/inbound/read-body";
import { answerIntrospectionRequest, answerRevocationRequest } from "./revoke-introspect";
import { answerTokenRequest } from "./token-endpoint";

/**
 * The token, revocation and introspection endpoints on the app's database: the answers the production server's
 * direct routes send (an InboundRequest read straight from Node's request), and as route handlers what their
 * app/oauth2/<name>/route.ts files export (Next.js, a Web Request).
 */
type FormAnswer = (request: Request | InboundRequest) => Promise<Answer>;
export const tokenAnswer: FormAnswer = async (request) => answerTokenRequest(await getDb(), request);
export const revocationAnswer: FormAnswer = async (request) => answerRevocationRequest(await getDb(), request);
export const introspectionAnswer: FormAnswer = async (request) => answerIntrospectionRequest(await getDb(), request);

export const tokenEndpoint = routeHandler(tokenAnswer);
export const revocationEndpoint = routeHandler(revocationAnswer);
export const introspectionEndpoint = routeHandler(introspectionAnswer);
