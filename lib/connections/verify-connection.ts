import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { noteConnectionStatus } from "@/lib/alerts/connection-status";
import { connections } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { executeHttpRequest, type HttpResponseResult } from "@/lib/http";
import { HttpRequestError } from "@/lib/http/errors";
import { MASK } from "@/lib/http/mask";
import type { StoredConfig } from "./config";
import { recordConnectionCheck } from "./checks";
import { audit, loadConnectionRow } from "./connections";
import { ConnectionVariableError } from "./connection-variables";
import { getCredentialProvider, type ConnectionProvider } from "./credential-provider";
import { adminAllowList } from "./oauth-transport";
import { getAccessToken } from "./tokens";
import { tokensOf } from "./types/registry";

/**
 * Verify: client credentials obtain a new token, authorization code checks its token is valid (refreshing
 * it when due), and every type calls its Test URL with the credentials applied. The outcome, in words
 * (HTTP status and the provider's error, DNS, TLS, timeout), is stored on the connection and audited.
 */

export interface VerifyResult {
  ok: boolean;
  message: string;
  at: Date;
}

/**
 * `source`: "verify" (a person or the API asked) or "scheduled" (the health check on the connection's schedule,
 * lib/health). Scheduled checks are kept in the check history but not audited: they are not anyone's action,
 * and an hourly check would fill the audit log.
 */
export async function verifyConnection(
  db: Database,
  ctx: TeamContext,
  connectionId: string,
  options: { source?: "verify" | "scheduled" } = {},
): Promise<VerifyResult> {
  const source = options.source ?? "verify";
  const credentials = await getCredentialProvider(db, ctx, connectionId).catch((err: unknown) => {
    // A {{vars.NAME}} in its Test URL or Host that is gone or gives no URL: a failed check, said in words (masked).
    if (err instanceof ConnectionVariableError) return err;
    throw err;
  });
  let outcome: Outcome;
  let result: { ok: boolean; message: string };
  let connection: { id: string; name: string; type: string };
  if (credentials instanceof ConnectionVariableError) {
    const row = await loadConnectionRow(db, ctx, connectionId);
    connection = { id: row.id, name: row.name, type: row.type };
    outcome = { ok: false, message: credentials.message };
    result = outcome;
  } else {
    const { provider, config } = credentials;
    connection = credentials.connection;
    try {
      outcome = await checkCredentials(provider, config, ctx.team.id);
    } catch (err) {
      if (err instanceof HttpRequestError) outcome = { ok: false, message: err.message };
      else throw err;
    }
    // The message may quote the provider (its error words, a Test URL's body): masked before it is stored or shown.
    result = { ok: outcome.ok, message: provider.masker.text(outcome.message) };
  }
  // Nothing checked (no token, no Test URL): "saved, not checked", never a green "verified".
  const status = outcome.checked === false ? "never_verified" : "verified";
  const at = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(connections)
      .set({
        lastVerifiedAt: at,
        lastVerifyOk: outcome.checked === false ? null : result.ok,
        lastVerifyMessage: result.message,
        // A token refresh that just found the grant revoked has set needs_reauthorization: keep it.
        status: result.ok ? status : sql`case when ${connections.status} = 'needs_reauthorization' then ${connections.status} else 'failed' end`,
      })
      .where(and(eq(connections.id, connection.id), eq(connections.teamId, ctx.team.id)));
    await recordConnectionCheck(
      tx,
      { id: connection.id, teamId: ctx.team.id },
      { source, outcome: outcome.checked === false ? "unchecked" : result.ok ? "ok" : "failed", message: result.message, at },
    );
    if (source === "verify") await audit(tx, ctx, "connection.verified", connection, { ok: result.ok });
  });
  await noteConnectionStatus(db, connection.id);
  return { ...result, at };
}

/** `checked: false`: nothing could be checked (no token to obtain and no Test URL). */
export type CheckOutcome = { ok: boolean; message: string; checked?: false };
type Outcome = CheckOutcome;

/**
 * The check itself, on a stored connection's provider (Verify) or a draft's (test on save, save-connection.ts):
 * a token obtained anew for types that get their own, the Test URL called with the credentials applied.
 * HttpRequestError (a token request that failed) is the caller's to turn into words.
 */
export async function checkCredentials(provider: ConnectionProvider, config: StoredConfig, teamId: string): Promise<Outcome> {
  const steps: string[] = [];
  const renewal = tokensOf(config)?.renewal;
  if (renewal === "grant") {
    // Credentials that get a token without a user: asking for a new one is the check.
    await provider.accessToken(true);
    steps.push("obtained an access token");
  } else if (renewal === "refresh") {
    const token = await provider.accessToken(false);
    steps.push(
      token.expiresAt ? `access token valid until ${token.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "access token present",
    );
  }
  if (!config.testUrl) {
    if (steps.length === 0) {
      return {
        ok: true,
        checked: false,
        message: "Saved, not checked: nothing was sent. Add a Test URL so Verify can check the credentials against the service.",
      };
    }
    return { ok: true, message: capitalize(`${steps.join("; ")}.`) };
  }
  const res = await executeHttpRequest(
    { method: config.testMethod ?? "GET", url: config.testUrl, responseType: "text", timeoutSeconds: 20, followRedirect: true },
    { provider, allowedTargets: adminAllowList(), limitKey: teamId },
  );
  if (!res.ok) return { ok: false, message: capitalize(res.message) };
  // A Host from a secret variable comes back masked (no longer a URL): it stays masked here too.
  const host = URL.canParse(res.url) ? new URL(res.url).host : MASK;
  if (res.status >= 200 && res.status < 300) {
    steps.push(`Test URL answered HTTP ${res.status}`);
    return { ok: true, message: capitalize(`${steps.join("; ")}.`) };
  }
  // Masked before it is cut short, so no part of a secret survives the cut.
  const detail = providerError(provider.masker.value(res.body));
  // A 401 to a request that carried the credentials (after any challenge or token refresh) is their refusal.
  const refused = res.status === 401 ? " (the service refused the connection's credentials)" : "";
  return {
    ok: false,
    message: `Test URL ${host} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}${refused}${detail ? `: ${detail}` : ""}`,
  };
}

/** The service's own error words from a JSON or text body, short. */
function providerError(body: HttpResponseResult["body"]): string | undefined {
  const text = body.type === "text" ? body.value : body.type === "json" ? JSON.stringify(body.value) : "";
  if (!text.trim()) return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const parts = [json.error, json.error_description, json.message].filter((v): v is string => typeof v === "string");
    if (parts.length) return parts.join(": ").slice(0, 300);
  } catch {
    // not JSON: fall through to the text
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Reauthorize for types that obtain their own tokens (client credentials, JWT bearer, login): a new token now. */
export async function renewClientCredentials(db: Database, ctx: TeamContext, connectionId: string): Promise<VerifyResult> {
  const row = await loadConnectionRow(db, ctx, connectionId);
  if (tokensOf(row.config as StoredConfig)?.renewal !== "grant")
    throw new ServiceError("Only connections that obtain tokens themselves request one directly.");
  let result: { ok: boolean; message: string };
  try {
    const token = await getAccessToken(db, ctx.team.id, connectionId, { force: true, eventKind: "reauthorized" });
    result = {
      ok: true,
      message: token.expiresAt
        ? `New access token, valid until ${token.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`
        : "New access token issued.",
    };
  } catch (err) {
    if (!(err instanceof Error) || err.name !== "ConnectionTokenError") throw err;
    result = { ok: false, message: err.message };
  }
  const at = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(connections)
      .set({ status: result.ok ? "verified" : "failed", lastVerifiedAt: at, lastVerifyOk: result.ok, lastVerifyMessage: result.message })
      .where(and(eq(connections.id, connectionId), eq(connections.teamId, ctx.team.id)));
    await recordConnectionCheck(tx, row, { source: "reauthorize", outcome: result.ok ? "ok" : "failed", message: result.message, at });
    await audit(tx, ctx, "connection.reauthorized", { id: row.id, name: row.name, type: row.type }, { ok: result.ok });
  });
  await noteConnectionStatus(db, connectionId);
  return { ...result, at };
}
