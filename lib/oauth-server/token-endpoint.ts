import "server-only";
import type { Database } from "@/db";
import type { OAuthClientRow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { clientIp } from "@/lib/auth/client-ip";
import { type Answer, jsonAnswer, routeHandler } from "@/lib/inbound/answer";
import { type InboundRequest, inboundRequest } from "@/lib/inbound/read-body";
import { authenticateClient } from "./client-auth";
import { issueClientCredentialsAtOnce } from "./client-credentials-at-once";
import { echoInput, NO_STORE, OAuthError, oauthErrorAnswer } from "./errors";
import { authorizationCodeGrant, clientCredentialsGrant, refreshTokenGrant, type GrantRequest } from "./grants";
import { readOAuthParams } from "./request-params";
import type { IssuedTokens } from "./tokens";
import { applicationActor } from "@/lib/auth/actor";

export const SUPPORTED_GRANT_TYPES = ["client_credentials", "authorization_code", "refresh_token"] as const;

const handlers: Record<(typeof SUPPORTED_GRANT_TYPES)[number], (db: Database, request: GrantRequest) => Promise<IssuedTokens>> = {
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

function tokenAnswer(issued: IssuedTokens): Answer {
  return jsonAnswer(
    {
      access_token: issued.accessToken,
      token_type: "Bearer",
      expires_in: issued.expiresIn,
      scope: issued.scopes.join(" "),
      ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
    },
    { headers: NO_STORE },
  );
}

/** POST /oauth2/token (RFC 6749 §3.2, §5). Takes a plain Request too, so tests can call it directly. */
export async function answerTokenRequest(db: Database, webOrInbound: Request | InboundRequest): Promise<Answer> {
  const request = inboundRequest(webOrInbound);
  const ip = clientIp(request.headers);
  let client: OAuthClientRow | undefined;
  let grantType: string | undefined;
  try {
    const params = await readOAuthParams(request);
    grantType = params.get("grant_type");
    // The common case in one round trip; anything it does not plainly accept takes the full path below.
    const issuedAtOnce = grantType === "client_credentials" ? await issueClientCredentialsAtOnce(db, { headers: request.headers, params, ip }) : null;
    if (issuedAtOnce) return tokenAnswer(issuedAtOnce);
    ({ client } = await authenticateClient(db, { headers: request.headers, params, ip, endpoint: "token" }));
    if (client.approvedAt === null) throw new OAuthError("unauthorized_client", "The application waits for an admin of its team to approve it.");
    if (!grantType) throw new OAuthError("invalid_request", "Parameter grant_type is required.");
    if (!(grantType in handlers)) throw new OAuthError("unsupported_grant_type", `Grant type ${echoInput(grantType)} is not supported.`);
    return tokenAnswer(await handlers[grantType as keyof typeof handlers](db, { client, params, ip }));
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    // Failed client authentication was audited where it happened; everything else is audited here.
    if (error.error !== "invalid_client") {
      await recordAudit(db, {
        teamId: client?.teamId ?? null,
        actor: applicationActor(client),
        action: "oauth.token_refused",
        target: client ? { type: "oauth_client", id: client.id } : undefined,
        metadata: { error: error.error, reason: error.description, grantType: grantType?.slice(0, 60) ?? null },
        ip,
      });
    }
    return oauthErrorAnswer(error);
  }
}

/** The same as a Web Response (tests). */
export const handleTokenRequest = routeHandler(answerTokenRequest);
