import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db";
import { oauthTokens } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { clientIp } from "@/lib/auth/client-ip";
import { type Answer, emptyAnswer, jsonAnswer, routeHandler } from "@/lib/inbound/answer";
import { type InboundRequest, inboundRequest } from "@/lib/inbound/read-body";
import { authenticateClient } from "./client-auth";
import { issuer } from "./config";
import { NO_STORE, OAuthError, oauthErrorAnswer } from "./errors";
import { currentRole } from "./membership";
import { readOAuthParams } from "./request-params";
import { findToken, isTokenLive, revokeGrant, revokeTokensWhere } from "./tokens";
import { applicationActor } from "@/lib/auth/actor";

async function authenticatedParams(db: Database, request: InboundRequest, endpoint: "revoke" | "introspect") {
  const params = await readOAuthParams(request);
  const { client } = await authenticateClient(db, { headers: request.headers, params, ip: clientIp(request.headers), endpoint });
  const token = params.get("token");
  if (!token) throw new OAuthError("invalid_request", "Parameter token is required.");
  return { client, token };
}

/**
 * POST /oauth2/revoke (RFC 7009). Unknown tokens and other clients' tokens get the same 200, so the
 * answer reveals nothing; revoking a refresh token revokes its whole grant, access tokens included.
 */
export async function answerRevocationRequest(db: Database, webOrInbound: Request | InboundRequest): Promise<Answer> {
  const request = inboundRequest(webOrInbound);
  try {
    const { client, token } = await authenticatedParams(db, request, "revoke");
    const row = await findToken(db, token);
    if (row && row.clientId === client.id && isTokenLive(row)) {
      await db.transaction(async (tx) => {
        const count =
          row.kind === "refresh" && row.grantId ? await revokeGrant(tx, row.grantId) : await revokeTokensWhere(tx, eq(oauthTokens.id, row.id));
        await recordAudit(tx, {
          teamId: client.teamId,
          actor: applicationActor(client, row.userId),
          action: "oauth.token_revoked",
          target: { type: "oauth_client", id: client.id },
          metadata: { reason: "revocation_request", tokenKind: row.kind, count, clientId: client.clientId },
          ip: clientIp(request.headers),
        });
      });
    }
    return emptyAnswer(200, NO_STORE);
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorAnswer(error);
    throw error;
  }
}

/**
 * POST /oauth2/introspect (RFC 7662). Callers authenticate as a client and only learn about tokens
 * issued to that client; anything else is `{"active": false}` and nothing more.
 */
export async function answerIntrospectionRequest(db: Database, webOrInbound: Request | InboundRequest): Promise<Answer> {
  const request = inboundRequest(webOrInbound);
  try {
    const { client, token } = await authenticatedParams(db, request, "introspect");
    const row = await findToken(db, token);
    const inactive = () => jsonAnswer({ active: false }, { headers: NO_STORE });
    if (!row || row.clientId !== client.id || !isTokenLive(row)) return inactive();
    if (row.userId && !(await currentRole(db, row.teamId, row.userId))) return inactive();
    return jsonAnswer(
      {
        active: true,
        scope: row.scopes.join(" "),
        client_id: client.clientId,
        token_type: row.kind === "access" ? "Bearer" : "refresh_token",
        exp: Math.floor(row.expiresAt.getTime() / 1000),
        iat: Math.floor(row.createdAt.getTime() / 1000),
        sub: row.userId ?? client.serviceUserId,
        iss: issuer(),
        ...(row.jti ? { jti: row.jti } : {}),
        // RFC 7662 §2.2 / RFC 8707: a token bound to a resource (/mcp) says which.
        ...(row.resource ? { aud: row.resource } : {}),
      },
      { headers: NO_STORE },
    );
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorAnswer(error);
    throw error;
  }
}

/** The same as Web Responses (tests). */
export const handleRevocationRequest = routeHandler(answerRevocationRequest);
export const handleIntrospectionRequest = routeHandler(answerIntrospectionRequest);
