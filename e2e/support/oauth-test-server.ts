import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decodeJwt } from "jose";
import Provider, { type KoaContext } from "oidc-provider";
import { memoryAdapterFor, OAuthTestStore } from "./oauth-test-adapter";
import {
  buildProviderConfig,
  JWT_AUTH_TEST_CLIENTS,
  TEST_CLIENTS,
  TEST_SCOPES,
  type OAuthTestClients,
  type SsoTestClient,
} from "./oauth-test-config";
import { esc, handleInteraction, readBody } from "./oauth-test-interactions";
import { flatHeaders, handleResource, type ResourceEcho } from "./oauth-test-resource";
import { type IdTokenTamper, isIdTokenTamper, tamperIdToken } from "./oauth-test-tamper";

/**
 * A real OAuth 2.0 authorization server for tests: oidc-provider v9 on 127.0.0.1 with fixed test
 * clients (see oauth-test-config.ts), login/consent pages (oauth-test-interactions.ts), a protected
 * echo resource at /resource/... (oauth-test-resource.ts) and test controls (below and /__test/...).
 * CLI: `npx tsx e2e/support/oauth-test-server.ts --port 0 [--redirect-uri URL]... [--access-token-ttl S]
 * [--auto-approve]` prints {issuer, port, ...} as one JSON line and runs until SIGINT/SIGTERM.
 */

export interface OAuthTestServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Redirect URIs registered for the authorization-code clients (exact match). */
  redirectUris?: string[];
  /** Access token lifetime in seconds (also client-credentials tokens). Default 300. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Complete login and consent without pages (as user `autoApproveAccount`). Default false. */
  autoApprove?: boolean;
  autoApproveAccount?: string;
  /** Issue a new refresh token on every refresh (the old one stops working). Default true. */
  rotateRefreshTokens?: boolean;
  /** Which metadata documents are served, to test discovery fallbacks. Default "both". */
  discovery?: "both" | "oauth" | "openid";
  /** Clients of Plugboard's own OpenID Connect sign-in (scopes openid email profile). */
  ssoClients?: SsoTestClient[];
}

export type OAuthTestEvent =
  | { type: "authorize"; at: number; query: Record<string, string> }
  | {
      type: "token";
      at: number;
      grantType: string;
      clientId?: string;
      clientAuth: "client_secret_basic" | "client_secret_post" | "client_assertion" | "none";
      headers: Record<string, string>;
      params: Record<string, string>;
      status: number;
      error?: string;
    }
  | ({ type: "resource"; at: number } & ResourceEcho);

export interface OAuthTestServer {
  issuer: string;
  port: number;
  authorizeUrl: string;
  tokenUrl: string;
  resourceUrl: string;
  scopes: readonly string[];
  clients: OAuthTestClients;
  /** Clients authenticating with JWT assertions (private_key_jwt, client_secret_jwt). */
  jwtAuthClients: typeof JWT_AUTH_TEST_CLIENTS;
  redirectUris: string[];
  /** Everything recorded so far, oldest first (live array). */
  events: OAuthTestEvent[];
  /** Token endpoint calls with this grant_type, successful or not. */
  countGrants(grantType: string): number;
  /** Deletes stored refresh tokens (all, or the matching ones): the next refresh gets invalid_grant. */
  revokeRefreshTokens(filter?: RevokeFilter): number;
  /** Deletes stored access tokens, so the resource answers 401 as for expired tokens. */
  expireAccessTokens(): number;
  /** The claims (email, email_verified, name, groups…) of the account `sub` from its next token on. */
  setAccountClaims(sub: string, claims: Record<string, unknown>): void;
  /** Alters the next ID token issued for the account `sub` (oauth-test-tamper.ts), once. */
  tamperNextIdToken(sub: string, how: IdTokenTamper): void;
  resetEvents(): void;
  stop(): Promise<void>;
}

export type RevokeFilter = { grantId?: string; clientId?: string; accountId?: string };

const MAX_EVENTS = 5000;

export async function startOAuthTestServer(opts: OAuthTestServerOptions = {}): Promise<OAuthTestServer> {
  const store = new OAuthTestStore();
  const events: OAuthTestEvent[] = [];
  const grantCounts = new Map<string, number>();
  const accountClaims = new Map<string, Record<string, unknown>>();
  const idTokenTampers = new Map<string, IdTokenTamper>();
  const record = (e: OAuthTestEvent) => {
    events.push(e);
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
  };
  // Set once the provider exists; the issuer (and so the provider) depends on the port listen() picks.
  let provider: Provider | undefined;
  let callback: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      // SessionNotFound etc.: an interaction URL opened without its cookie or after it finished.
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><h1>OAuth test server error</h1><pre id="error">${esc(String(err?.message))}</pre>`);
    });
  });
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!provider || !callback) return void res.writeHead(503).end();
    const url = new URL(req.url ?? "/", issuer);
    const p = url.pathname;
    if (p.startsWith("/interaction/")) {
      await handleInteraction(provider, interactionOpts, req, res, p);
    } else if (p === "/resource" || p.startsWith("/resource/")) {
      record({ type: "resource", at: Date.now(), ...(await handleResource(provider, req, res, url)) });
    } else if (p.startsWith("/__test/")) {
      await handleControl(req, res, p);
    } else if (
      (opts.discovery === "oauth" && p === "/.well-known/openid-configuration") ||
      (opts.discovery === "openid" && p === "/.well-known/oauth-authorization-server")
    ) {
      res.writeHead(404).end();
    } else {
      if (p === "/auth" && req.method === "GET") {
        record({ type: "authorize", at: Date.now(), query: Object.fromEntries(url.searchParams) });
      }
      callback(req, res);
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const redirectUris = opts.redirectUris ?? ["http://localhost:3000/oauth/callback", "http://127.0.0.1:3000/oauth/callback"];
  const interactionOpts = { autoApprove: !!opts.autoApprove, autoApproveAccount: opts.autoApproveAccount ?? "test-user" };

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  provider = new Provider(
    issuer,
    buildProviderConfig({
      adapter: memoryAdapterFor(store),
      ssoClients: opts.ssoClients ?? [],
      accountClaims,
      jwk: { ...privateKey.export({ format: "jwk" }), alg: "RS256", use: "sig", kid: "test-key" },
      cookieKey: randomBytes(32).toString("base64url"),
      redirectUris,
      accessTokenTtl: opts.accessTokenTtlSeconds ?? 300,
      refreshTokenTtl: opts.refreshTokenTtlSeconds ?? 24 * 3600,
      rotateRefreshTokens: opts.rotateRefreshTokens ?? true,
    }),
  );
  provider.use(async (ctx: KoaContext, next) => {
    await next();
    if (ctx.oidc?.route !== "token") return;
    const issued = ctx.body as { id_token?: unknown } | undefined;
    if (ctx.status === 200 && issued && typeof issued.id_token === "string") {
      const sub = decodeJwt(issued.id_token).sub ?? "";
      const how = idTokenTampers.get(sub);
      if (how) {
        idTokenTampers.delete(sub);
        issued.id_token = await tamperIdToken(issued.id_token, how, privateKey);
      }
    }
    const params = Object.fromEntries(Object.entries(ctx.oidc.body ?? {}).map(([k, v]) => [k, String(v)]));
    const headers = flatHeaders(ctx.headers);
    const grantType = params.grant_type ?? "";
    grantCounts.set(grantType, (grantCounts.get(grantType) ?? 0) + 1);
    const basic = /^Basic\s/i.test(headers.authorization ?? "");
    const body = ctx.body as { error?: string } | undefined;
    record({
      type: "token",
      at: Date.now(),
      grantType,
      clientId: ctx.oidc.client?.clientId,
      clientAuth: basic ? "client_secret_basic" : params.client_secret ? "client_secret_post" : params.client_assertion ? "client_assertion" : "none",
      headers,
      params,
      status: ctx.status,
      error: ctx.status >= 400 ? body?.error : undefined,
    });
  });
  callback = provider.callback();

  const revokeRefreshTokens = (f: RevokeFilter = {}) =>
    store.deleteWhere("RefreshToken", (t) => (["grantId", "clientId", "accountId"] as const).every((k) => f[k] === undefined || t[k] === f[k]));
  const expireAccessTokens = () => store.deleteWhere("AccessToken") + store.deleteWhere("ClientCredentials");
  const countGrants = (type: string) => grantCounts.get(type) ?? 0;

  // The same controls over HTTP, for test runners in another process (see oauth-test-control.ts).
  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, p: string) {
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (p === "/__test/state" && req.method === "GET") return json({ grants: Object.fromEntries(grantCounts), events });
    if (req.method !== "POST") return void res.writeHead(405).end();
    const url = new URL(req.url ?? "/", issuer);
    if (p === "/__test/revoke-refresh-tokens") {
      const q = (k: string) => url.searchParams.get(k) ?? undefined;
      return json({ revoked: revokeRefreshTokens({ grantId: q("grantId"), clientId: q("clientId"), accountId: q("accountId") }) });
    }
    if (p === "/__test/expire-access-tokens") return json({ expired: expireAccessTokens() });
    if (p === "/__test/account-claims") {
      const sub = url.searchParams.get("sub");
      if (!sub) return void res.writeHead(400).end();
      accountClaims.set(sub, JSON.parse(await readBody(req)) as Record<string, unknown>);
      return json({ ok: true });
    }
    if (p === "/__test/tamper-id-token") {
      const sub = url.searchParams.get("sub");
      const how = url.searchParams.get("how");
      if (!sub || !isIdTokenTamper(how)) return void res.writeHead(400).end();
      idTokenTampers.set(sub, how);
      return json({ ok: true });
    }
    if (p === "/__test/reset-events") {
      events.length = 0;
      grantCounts.clear();
      return json({ ok: true });
    }
    res.writeHead(404).end();
  }

  return {
    issuer,
    port,
    authorizeUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    resourceUrl: `${issuer}/resource/echo`,
    scopes: TEST_SCOPES,
    clients: TEST_CLIENTS,
    jwtAuthClients: JWT_AUTH_TEST_CLIENTS,
    redirectUris,
    events,
    countGrants,
    revokeRefreshTokens,
    expireAccessTokens,
    setAccountClaims: (sub, claims) => void accountClaims.set(sub, claims),
    tamperNextIdToken: (sub, how) => void idTokenTampers.set(sub, how),
    resetEvents: () => {
      events.length = 0;
      grantCounts.clear();
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function parseArgs(argv: string[]): OAuthTestServerOptions {
  const opts: OAuthTestServerOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--port") opts.port = Number(value());
    else if (arg === "--redirect-uri") (opts.redirectUris ??= []).push(value());
    else if (arg === "--access-token-ttl") opts.accessTokenTtlSeconds = Number(value());
    else if (arg === "--auto-approve") opts.autoApprove = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const srv = await startOAuthTestServer(parseArgs(process.argv.slice(2)));
  const { issuer, port, authorizeUrl, tokenUrl, resourceUrl, scopes, clients, redirectUris } = srv;
  const info = { issuer, port, authorizeUrl, tokenUrl, resourceUrl, scopes, clients, redirectUris };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void srv.stop().finally(() => process.exit(0)));
  }
}
