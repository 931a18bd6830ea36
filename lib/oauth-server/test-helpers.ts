// Test-only helpers: build OAuth requests the way clients send them and register clients directly.
import { createHash, randomBytes } from "node:crypto";
import { getDb } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { createApplication } from "./clients";
import { createApplicationSchema } from "./schemas";
import type { ScopeName } from "./scopes";
import { handleTokenRequest } from "./token-endpoint";

export const BASE = "http://localhost:3000";

export async function makeClient(
  ctx: TeamContext,
  options: {
    grantType?: "client_credentials" | "authorization_code";
    authMethod?: "client_secret_basic" | "client_secret_post" | "private_key_jwt";
    /** private_key_jwt: the public keys, inline or at a URL. */
    jwks?: { keys: object[] };
    jwksUri?: string;
    scopes?: ScopeName[];
    role?: "member" | "admin";
    redirectUris?: string;
  } = {},
) {
  const input = createApplicationSchema.parse({
    name: `App ${randomBytes(3).toString("hex")}`,
    grantType: options.grantType ?? "client_credentials",
    authMethod: options.authMethod ?? "client_secret_basic",
    jwks: options.jwks ? JSON.stringify(options.jwks) : "",
    jwksUri: options.jwksUri ?? "",
    scopes: options.scopes ?? ["audit.log:read", "connections:read"],
    role: options.role ?? "admin",
    redirectUris: options.redirectUris ?? (options.grantType === "authorization_code" ? "https://client.example/callback" : ""),
  });
  const created = await createApplication(await getDb(), ctx, input);
  return { ...created, name: input.name };
}

export function basic(clientId: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

export function formRequest(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": randomIp(), ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Each request from its own address, so the per-IP failure limit of one test does not leak into another. */
export function randomIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

/**
 * Plugboard's token and introspection endpoints on a loopback port, so independent clients (openid-client,
 * Authlib) can call them over HTTP in a vitest file without a Next build.
 */
export async function startOAuthEndpoints() {
  const { createServer } = await import("node:http");
  const { handleTokenRequest } = await import("./token-endpoint");
  const { handleIntrospectionRequest } = await import("./revoke-introspect");
  const routes: Record<string, (db: Awaited<ReturnType<typeof getDb>>, request: Request) => Promise<Response>> = {
    "/oauth2/token": handleTokenRequest,
    "/oauth2/introspect": handleIntrospectionRequest,
  };
  // One address per server for the clients that send no X-Forwarded-For, so the per-IP failure limit
  // counts this file's refusals only (not every file's "unknown").
  const serverIp = randomIp();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const handler = routes[url.pathname];
    if (req.method !== "POST" || !handler) return void res.writeHead(404).end();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", serverIp);
    const response = await handler(
      await getDb(),
      new Request(`${BASE}${url.pathname}${url.search}`, { method: "POST", headers, body: Buffer.concat(chunks) }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/oauth2/token`,
    introspectionUrl: `${url}/oauth2/introspect`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A client-credentials access token for `app` (its registered scopes, or narrowed to `scope`). */
export async function clientCredentialsToken(app: { clientId: string; clientSecret: string }, scope?: string): Promise<string> {
  const response = await handleTokenRequest(
    await getDb(),
    formRequest(
      "/oauth2/token",
      { grant_type: "client_credentials", ...(scope ? { scope } : {}) },
      { authorization: basic(app.clientId, app.clientSecret) },
    ),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The access token of a new client-credentials Application of `ctx`'s team, with these scopes and role. */
export async function appToken(ctx: TeamContext, scopes: ScopeName[], role: "admin" | "member"): Promise<string> {
  return clientCredentialsToken(await makeClient(ctx, { scopes, role }));
}
