import "server-only";
import { readJsonPath } from "@/lib/http/json-path";
import type { Masker } from "@/lib/http/mask";
import type { RequestSpecInput } from "@/lib/http/spec";
import type { HttpResponseResult, HttpResult } from "@/lib/http/types";
import type { TokenSet } from "@/lib/oauth-client/token-set";
import { ConnectionTokenError } from "../../errors";
import { loginRequestSpec, type LoginFields } from "./login";
import { fillPlaceholders } from "./template";

export interface SessionLoginConfig extends LoginFields {
  login: boolean;
  tokenPath: string;
  lifetime: "fixed" | "path";
  lifetimeSeconds: string;
  lifetimePath: string;
}

const MAX_ERROR_WORDS = 300;

/**
 * The "session login" step: sends the configured request (secrets filled in) through the guarded executor
 * and reads the session token and its lifetime from the JSON answer. Every failure says what failed, in
 * words masked with the connection's secrets (a server may echo the password it refused).
 */
export async function obtainSessionToken(
  config: SessionLoginConfig,
  secrets: Record<string, string>,
  send: (spec: RequestSpecInput) => Promise<HttpResult>,
  masker: Masker,
  now: () => number = Date.now,
): Promise<TokenSet> {
  const fail = (message: string, reason: ConnectionTokenError["reason"]) => new ConnectionTokenError(masker.text(message), reason);
  if (!config.login) throw fail("this connection has no login step", "config");
  const spec = loginRequestSpec(config, (text, where) => fillPlaceholders(text, { secrets }, where === "url" ? encodeURIComponent : undefined));
  const result = await send(spec);
  if (!result.ok) {
    const transient = ["dns", "connection_refused", "connection_reset", "network", "timeout", "busy"].includes(result.kind);
    throw fail(`the login request failed: ${result.message}`, transient ? "transient" : "config");
  }
  if (result.status < 200 || result.status > 299) {
    const words = serverWords(result);
    throw fail(
      `the login was refused: HTTP ${result.status}${result.statusText ? ` ${result.statusText}` : ""}${words ? ` (${words})` : ""}`,
      result.status >= 500 || result.status === 429 ? "transient" : "provider",
    );
  }
  if (result.body.type !== "json") {
    throw fail(
      `the login answer is not JSON (${contentType(result) || "no content type"}), so ${config.tokenPath} cannot be read from it`,
      "provider",
    );
  }
  const answer = result.body.value;
  const token = readJsonPath(answer, config.tokenPath);
  if (token === undefined || token === null || token === "") throw fail(`no value at ${config.tokenPath} in the login answer`, "provider");
  if (typeof token !== "string" && typeof token !== "number") {
    throw fail(
      `the value at ${config.tokenPath} in the login answer is ${Array.isArray(token) ? "a list" : `a ${typeof token}`}, not a token`,
      "provider",
    );
  }
  const issuedAt = now();
  return {
    accessToken: String(token),
    tokenType: "custom",
    expiresAt: new Date(issuedAt + lifetimeSeconds(config, answer, fail) * 1000),
    issuedAt: new Date(issuedAt),
    scope: [],
  };
}

function lifetimeSeconds(config: SessionLoginConfig, answer: unknown, fail: (m: string, r: "provider") => Error): number {
  if (config.lifetime === "fixed") return Number(config.lifetimeSeconds);
  const value = readJsonPath(answer, config.lifetimePath);
  if (value === undefined || value === null || value === "")
    throw fail(`no value at ${config.lifetimePath} (the token's lifetime) in the login answer`, "provider");
  const seconds = typeof value === "number" ? value : typeof value === "string" && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw fail(`the value at ${config.lifetimePath} in the login answer is not a number of seconds`, "provider");
  }
  return seconds;
}

/** The server's own words about a refusal: the usual error fields of a JSON answer, or the start of a text one. */
function serverWords(result: HttpResponseResult): string {
  const { body } = result;
  let words = "";
  if (body.type === "json" && body.value && typeof body.value === "object") {
    const v = body.value as Record<string, unknown>;
    words = ["error_description", "error", "message", "detail", "title"]
      .map((k) => (Object.hasOwn(v, k) ? v[k] : undefined))
      .filter((w): w is string => typeof w === "string" && w.trim() !== "")
      .join(": ");
  } else if (body.type === "text" || body.type === "json") {
    words = typeof body.value === "string" ? body.value : "";
  }
  words = words.replace(/\s+/g, " ").trim();
  return words.length > MAX_ERROR_WORDS ? `${words.slice(0, MAX_ERROR_WORDS)}…` : words;
}

function contentType(result: HttpResponseResult): string {
  const value = result.headers["content-type"];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}
