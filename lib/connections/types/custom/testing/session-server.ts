import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";

/**
 * A session-login API on 127.0.0.1 for custom-auth tests, written as such APIs behave:
 * - POST /login takes {username, password} (JSON or form-encoded; the username may be in the query), answers {token, expires_in} or 401 with
 *   {error, message}; tokens expire after `ttlMs` (changeable while running).
 * - GET /data answers 200 to a live token in the X-Session header or the `session` query parameter, 401 otherwise.
 * - /keyed answers 200 when the API key is in the X-Api-Key header, the api_key query parameter or the api_key
 *   field of a JSON or form body, saying where it found it and echoing the body it received; 401 otherwise.
 * - /redirect?to=URL answers 307 to URL; /echo answers with the body it received.
 */
export interface SessionServer extends LocalServer {
  /** Logins answered with a token, and data requests refused as expired. */
  counts: { logins: number; refusedLogins: number; expired: number };
  /** Lifetime of the tokens issued from now on. */
  ttlMs: number;
  /** Ends every issued token now, as a server restart or a logout elsewhere would. */
  expireAll(): void;
}

export interface SessionServerOptions {
  username: string;
  password: string;
  apiKey: string;
  ttlMs: number;
  /** The refusal's message repeats the password it was given, as careless servers do. */
  echoPasswordOnRefusal?: boolean;
}

export async function startSessionServer(options: SessionServerOptions): Promise<SessionServer> {
  const sessions = new Map<string, number>();
  const state = { counts: { logins: 0, refusedLogins: 0, expired: 0 }, ttlMs: options.ttlMs };

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = (await readRequestBody(req)).toString("utf8");
    const body = parseBody(req.headers["content-type"], raw);
    if (url.pathname === "/login" && req.method === "POST") {
      const username = body?.username ?? url.searchParams.get("username");
      if (username !== options.username || body?.password !== options.password) {
        state.counts.refusedLogins++;
        const message = options.echoPasswordOnRefusal
          ? `wrong password ${String(body?.password)} for ${String(body?.username)}`
          : "wrong username or password";
        return json(res, 401, { error: "invalid_credentials", message });
      }
      state.counts.logins++;
      const token = randomBytes(18).toString("base64url");
      sessions.set(token, Date.now() + state.ttlMs);
      return json(res, 200, { token, expires_in: Math.max(1, Math.round(state.ttlMs / 1000)), user: options.username });
    }
    if (url.pathname === "/data") {
      const token = firstOf(req.headers["x-session"]) ?? url.searchParams.get("session") ?? "";
      const until = sessions.get(token);
      if (until === undefined) return json(res, 401, { error: "no_session" });
      if (until <= Date.now()) {
        state.counts.expired++;
        return json(res, 401, { error: "session_expired" });
      }
      return json(res, 200, { ok: true, user: options.username });
    }
    if (url.pathname === "/keyed") {
      const key = options.apiKey;
      const via =
        firstOf(req.headers["x-api-key"]) === key
          ? "header"
          : url.searchParams.get("api_key") === key
            ? "query"
            : body?.api_key === key
              ? "body"
              : null;
      if (!via) return json(res, 401, { error: "no_api_key" });
      return json(res, 200, { via, contentType: req.headers["content-type"] ?? null, body: raw });
    }
    if (url.pathname === "/redirect") {
      res.writeHead(307, { location: url.searchParams.get("to") ?? "/" });
      return res.end();
    }
    if (url.pathname === "/echo") return json(res, 200, { contentType: req.headers["content-type"] ?? null, body: raw });
    json(res, 404, { error: "not_found" });
  };

  const server = await startLocalServer((req, res) => {
    handler(req, res).catch(() => json(res, 500, { error: "server_error" }));
  });
  return {
    ...server,
    counts: state.counts,
    get ttlMs() {
      return state.ttlMs;
    },
    set ttlMs(ms: number) {
      state.ttlMs = ms;
    },
    expireAll: () => {
      for (const token of sessions.keys()) sessions.set(token, 0);
    },
  };
}

function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> | undefined {
  const mime = (contentType ?? "").split(";")[0].trim();
  if (mime === "application/json") {
    try {
      const value: unknown = JSON.parse(raw);
      return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  if (mime === "application/x-www-form-urlencoded") return Object.fromEntries(new URLSearchParams(raw));
  return undefined;
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}
