import "server-only";
import { healthColumnsFor } from "@/lib/health/health-columns";
import { randomUUID } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { connections, oauthStates } from "@/db/schema";
import { resolveTeamContext, requireRole, type TeamContext } from "@/lib/auth/team-context";
import { getEnv } from "@/lib/config/env";
import { decryptJson, encryptJson, sha256Hex } from "@/lib/crypto";
import { ServiceError } from "@/lib/errors/service-error";
import { type AuthorizationRequest, buildAuthorizationRequest, exchangeAuthorizationCode, OAuthError, type TokenSet } from "@/lib/oauth-client";
import { expiredStatusList, splitInput, type ConnectionSecrets, type StoredConfig } from "./config";
import { assertClientCertificate, assertNameFree, audit, loadConnectionRow, replaceConnection } from "./connections";
import { assertConnectionVariables } from "./connection-variables";
import { oauthOptions } from "./oauth-transport";
import { isSafeReturnPath } from "./return-path";
import type { ConnectionInput } from "./schemas";
import { connectionMasker, getKeyring, oauthStateAad, openConnectionSecrets, sealConnectionSecrets } from "./secrets";
import { recordTokenEvent } from "./tokens";
import { clientCertificateOf } from "./types/client-certificate";
import { connectionProxyOf } from "./types/proxy";
import type { ConnectionTypeServer } from "./types/descriptor";
import { connectionType } from "./types/registry";

/**
 * The authorization-code consent: Save (create or edit) and Reauthorize store an encrypted draft under a
 * random `state` and send the browser to the provider; the callback consumes the state once and only for
 * the user who started it (DELETE … WHERE state and user … RETURNING), exchanges the code (PKCE S256, RFC 9207 `iss`
 * when known) and only then writes the connection. A failed or abandoned consent changes nothing.
 */

export const STATE_TTL_MS = 10 * 60_000;

type Mode = "create" | "edit" | "reauthorize";
/** `returnPath`: where the callback sends the browser (checked when stored; see return-path.ts). */
type Draft = { mode: Mode; input: ConnectionInput; codeVerifier?: string; returnPath?: string };

/** The consent half of a type that has one (authorization code), else a refusal in words. */
function consentOf(type: string): Required<Pick<ConnectionTypeServer<StoredConfig>, "consent" | "tokens">> {
  const { server } = connectionType(type);
  if (!server.consent || !server.tokens) throw new ServiceError("Only authorization-code connections go through consent.");
  return { consent: server.consent, tokens: server.tokens };
}

export function callbackUrl(): string {
  return `${getEnv().publicUrl}/oauth/callback`;
}

export async function startAuthorization(
  db: Executor,
  ctx: TeamContext,
  request: { mode: Mode; connectionId?: string; input: ConnectionInput; returnPath?: string },
): Promise<{ redirectUrl: string }> {
  requireRole(ctx, "member");
  const { input, mode } = request;
  const { consent, tokens } = consentOf(input.type);
  assertClientCertificate(input);
  if (mode === "create") await assertNameFree(db, ctx, input.name);
  else {
    await loadConnectionRow(db, ctx, request.connectionId ?? "");
    await assertNameFree(db, ctx, input.name, request.connectionId);
  }
  await assertConnectionVariables(db, ctx.team.id, input);
  const { config, secrets } = splitInput(input);
  let auth: AuthorizationRequest;
  try {
    auth = await buildAuthorizationRequest(
      consent.settings(config, secrets),
      { redirectUri: callbackUrl() },
      oauthOptions(tokens.endpoints(config), connectionMasker(config, secrets), {
        clientCertificate: clientCertificateOf(secrets),
        caCertificatePem: config.tlsCaCertificate || undefined,
        proxy: connectionProxyOf(config, secrets),
      }),
    );
  } catch (err) {
    if (err instanceof OAuthError) throw new ServiceError(err.message);
    throw err;
  }
  const stateHash = sha256Hex(auth.state);
  const keyring = getKeyring();
  if (request.returnPath !== undefined && !isSafeReturnPath(request.returnPath))
    throw new ServiceError("The return path must be a path on this site.");
  const draft: Draft = { mode, input, codeVerifier: auth.codeVerifier, returnPath: request.returnPath };
  await db.transaction(async (tx) => {
    await tx.delete(oauthStates).where(lt(oauthStates.expiresAt, new Date()));
    await tx.insert(oauthStates).values({
      stateHash,
      userId: ctx.actor.id,
      teamId: ctx.team.id,
      connectionId: mode === "create" ? null : (request.connectionId ?? null),
      draft: encryptJson(keyring, draft, oauthStateAad(stateHash)),
      keyId: keyring.currentKeyId,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    await audit(tx, ctx, "connection.consent_started", { id: request.connectionId ?? "new", name: input.name, type: input.type }, { mode });
  });
  return { redirectUrl: auth.url };
}

/** Reauthorize an authorization-code connection with its stored settings (the client secret stays server-side). */
export async function startReauthorization(
  db: Executor,
  ctx: TeamContext,
  connectionId: string,
  returnPath?: string,
): Promise<{ redirectUrl: string }> {
  const row = await loadConnectionRow(db, ctx, connectionId);
  consentOf(row.type);
  const secrets = openConnectionSecrets(row);
  const { allowedHosts: _derived, ...form } = row.config as Record<string, unknown>;
  // The stored settings with the secrets the user typed (client secret or key, certificate), not the tokens.
  const { accessToken: _a, refreshToken: _r, tokenType: _t, ...typed } = secrets;
  const input = { ...form, ...typed } as ConnectionInput;
  return startAuthorization(db, ctx, { mode: "reauthorize", connectionId, input, returnPath });
}

/** `returnPath`: the page the consent started from, when it was stored with the state. */
export type CallbackOutcome =
  | { ok: true; connectionId: string; message: string; returnPath?: string }
  | { ok: false; message: string; returnPath?: string };

const START_AGAIN = "Start again from the Connections tab.";

/**
 * Handles the provider's redirect for the signed-in user. Never throws for a bad callback: the outcome is
 * a sentence for the Connections tab.
 */
export async function completeAuthorization(db: Database, userId: string, callback: URL): Promise<CallbackOutcome> {
  const state = callback.searchParams.get("state");
  if (!state) return fail(`The provider's answer carries no state, so it cannot be matched to a connection. ${START_AGAIN}`);
  const stateHash = sha256Hex(state);
  // Consumed before anything else, so a state works once even if the rest fails; only by the user who
  // started it, so opening someone else's callback URL does not burn their consent.
  const [pending] = await db
    .delete(oauthStates)
    .where(and(eq(oauthStates.stateHash, stateHash), eq(oauthStates.userId, userId)))
    .returning();
  if (!pending) {
    const [foreign] = await db.select({ userId: oauthStates.userId }).from(oauthStates).where(eq(oauthStates.stateHash, stateHash));
    if (foreign) return fail(`This authorization was started by another user. ${START_AGAIN}`);
    return fail(`This authorization answer is invalid, expired or was already used. ${START_AGAIN}`);
  }
  if (pending.expiresAt.getTime() < Date.now()) return fail(`The authorization took longer than 10 minutes and expired. ${START_AGAIN}`);
  const ctx = await resolveTeamContext(db, userId, pending.teamId);
  if (!ctx || ctx.team.id !== pending.teamId) return fail(`You are no longer a member of the team this authorization was for.`);

  const draft = decryptJson<Draft>(getKeyring(), pending.draft, oauthStateAad(stateHash));
  const { config, secrets } = splitInput(draft.input);
  const { consent, tokens: support } = consentOf(draft.input.type);
  let tokens: TokenSet;
  try {
    tokens = await exchangeAuthorizationCode(
      consent.settings(config, secrets),
      { callbackUrl: callback, expectedState: state, codeVerifier: draft.codeVerifier, redirectUri: callbackUrl() },
      // The provider's error words come back masked with the draft's secrets.
      oauthOptions(support.endpoints(config), connectionMasker(config, secrets), {
        clientCertificate: clientCertificateOf(secrets),
        caCertificatePem: config.tlsCaCertificate || undefined,
        proxy: connectionProxyOf(config, secrets),
      }),
    );
  } catch (err) {
    const why = err instanceof OAuthError ? err.message : "the provider's answer could not be processed";
    if (!(err instanceof OAuthError)) console.error("[plugboard] oauth callback failed:", err instanceof Error ? err.name : "unknown");
    if (pending.connectionId) {
      await recordTokenEvent(
        db,
        { id: pending.connectionId, teamId: pending.teamId },
        { kind: "authorization_failed", message: `Consent failed: ${why}` },
      ).catch(() => {});
    }
    const kept = draft.mode === "create" ? "Nothing was saved." : "The connection keeps its previous credentials.";
    return fail(`Connecting "${draft.input.name}" failed: ${why}. ${kept}`, draft.returnPath);
  }
  try {
    const connectionId = await saveAuthorized(db, ctx, pending.connectionId, draft, tokens, secrets);
    const verb = draft.mode === "create" ? "is connected" : draft.mode === "edit" ? "was saved with new credentials" : "was reauthorized";
    return { ok: true, connectionId, message: `"${draft.input.name}" ${verb}.`, returnPath: draft.returnPath };
  } catch (err) {
    if (err instanceof ServiceError) return fail(`Saving "${draft.input.name}" failed: ${err.message}`, draft.returnPath);
    throw err;
  }
}

async function saveAuthorized(
  db: Database,
  ctx: TeamContext,
  existingId: string | null,
  draft: Draft,
  tokens: TokenSet,
  secrets: ConnectionSecrets,
): Promise<string> {
  const tokenSecrets: ConnectionSecrets = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: tokens.tokenType };
  // Reauthorize is recorded as such: the timeline tells a new consent for an existing connection from a first one.
  const issued =
    draft.mode === "reauthorize"
      ? {
          kind: "reauthorized" as const,
          message: "Tokens issued after a new consent at the provider (Reauthorize).",
          expiresAt: tokens.expiresAt ?? null,
        }
      : { kind: "issued" as const, message: "Tokens issued after consent at the provider.", expiresAt: tokens.expiresAt ?? null };
  if (draft.mode !== "create" && existingId) {
    const action = draft.mode === "reauthorize" ? "connection.reauthorized" : "connection.updated";
    await replaceConnection(
      db,
      ctx,
      existingId,
      draft.input,
      {
        secrets: tokenSecrets,
        tokenExpiresAt: tokens.expiresAt ?? null,
        tokenIssuedAt: tokens.issuedAt,
        grantedScopes: tokens.scope,
        status: "verified",
        lastVerify: { at: new Date(), ok: true, message: "Authorized at the provider." },
      },
      action,
    );
    await recordTokenEvent(db, { id: existingId, teamId: ctx.team.id }, issued);
    return existingId;
  }
  const id = randomUUID();
  const { config } = splitInput(draft.input);
  await db.transaction(async (tx) => {
    await assertNameFree(tx, ctx, draft.input.name);
    await tx.insert(connections).values({
      id,
      teamId: ctx.team.id,
      name: draft.input.name,
      type: draft.input.type,
      config,
      ...sealConnectionSecrets(ctx.team.id, id, { ...secrets, ...tokenSecrets }),
      expiredStatuses: expiredStatusList(draft.input),
      ...healthColumnsFor(id, draft.input, config),
      status: "verified",
      lastVerifiedAt: new Date(),
      lastVerifyOk: true,
      lastVerifyMessage: "Authorized at the provider.",
      grantedScopes: tokens.scope,
      tokenExpiresAt: tokens.expiresAt ?? null,
      tokenIssuedAt: tokens.issuedAt,
      createdBy: ctx.actor.id,
    });
    await recordTokenEvent(tx, { id, teamId: ctx.team.id }, issued);
    await audit(tx, ctx, "connection.created", { id, name: draft.input.name, type: draft.input.type }, { scopes: tokens.scope });
  });
  return id;
}

function fail(message: string, returnPath?: string): CallbackOutcome {
  return { ok: false, message, returnPath };
}
