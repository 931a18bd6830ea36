import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTinyproxy, type Tinyproxy } from "@/e2e/support/tinyproxy";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { createMasker } from "@/lib/http/mask";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { discover, OAuthConfigError, refreshAccessToken, requestClientCredentialsToken } from "@/lib/oauth-client";
import { reloadInstanceProxy } from "@/lib/http/proxy/proxy-plan";
import { oauthOptions } from "./oauth-transport";

/**
 * A connection's OAuth calls (discovery, token, refresh) take its proxy: a real tinyproxy (no
 * authentication here) forwards them, and its log lists each one; a proxy choice of "none" bypasses it.
 */
const CLIENT = { clientId: "proxyclient", clientSecret: "proxyclientsecret" };
const noSecrets = createMasker(() => []);

async function startTokenServer(): Promise<LocalServer> {
  let base = "";
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/.well-known/oauth-authorization-server") return json(200, { issuer: base, token_endpoint: `${base}/token` });
    if (req.method !== "POST" || req.url !== "/token") return json(404, { error: "not_found" });
    const grant = new URLSearchParams((await readRequestBody(req)).toString()).get("grant_type");
    if (grant === "client_credentials") return json(200, { access_token: "cc-token", token_type: "Bearer", expires_in: 300 });
    if (grant === "refresh_token") return json(200, { access_token: "refreshed", token_type: "Bearer", expires_in: 300, refresh_token: "rt-2" });
    return json(400, { error: "unsupported_grant_type" });
  };
  const server = await startLocalServer((req, res) => void handler(req, res));
  base = server.url;
  return server;
}

describe("OAuth calls through the connection's proxy", () => {
  let proxy: Tinyproxy;
  let server: LocalServer;

  beforeAll(async () => {
    // The admin allow-list lets the calls (and the team's proxy) reach loopback, and allows http:// there.
    vi.stubEnv("PLUGBOARD_ALLOWED_HOSTS", "127.0.0.1");
    vi.stubEnv("AUTH_SECRET", "a".repeat(40));
    vi.stubEnv("PLUGBOARD_ENCRYPTION_KEY", `k1:${Buffer.alloc(32, 7).toString("base64")}`);
    [proxy, server] = await Promise.all([startTinyproxy(), startTokenServer()]);
  });
  afterAll(async () => {
    await Promise.all([proxy.stop(), server.close()]);
    await closeHttpAgents();
    vi.unstubAllEnvs();
    reloadInstanceProxy();
  });

  it("discovery, the token request and the refresh each go through the proxy", async () => {
    const tokenUrl = `${server.url}/token`;
    const opts = oauthOptions([server.url, tokenUrl], noSecrets, { proxy: { mode: "custom", url: proxy.url } });
    const before = proxy.requests().length;
    expect(await discover(server.url, opts)).toMatchObject({ tokenUrl });
    expect(await requestClientCredentialsToken({ tokenUrl, ...CLIENT }, opts)).toMatchObject({ accessToken: "cc-token" });
    const config = { tokenUrl, authorizeUrl: `${server.url}/authorize`, ...CLIENT };
    expect(await refreshAccessToken(config, "rt-1", opts)).toMatchObject({ accessToken: "refreshed", refreshToken: "rt-2" });
    expect(proxy.requests().slice(before)).toEqual([
      `GET ${server.url}/.well-known/oauth-authorization-server HTTP/1.1`,
      `POST ${tokenUrl} HTTP/1.1`,
      `POST ${tokenUrl} HTTP/1.1`,
    ]);
  });

  it("a token URL the guard refuses fails as a setting, and the proxy never hears of it", async () => {
    const before = proxy.connections();
    const tokenUrl = "https://169.254.169.254/token";
    const err = await requestClientCredentialsToken(
      { tokenUrl, ...CLIENT },
      oauthOptions([tokenUrl], noSecrets, { proxy: { mode: "custom", url: proxy.url } }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect((err as Error).message).toContain("refused by the address guard: 169.254.169.254");
    expect(proxy.connections()).toBe(before);
  });

  it("the instance proxy carries them too, and 'none' goes direct", async () => {
    vi.stubEnv("HTTP_PROXY", proxy.url);
    reloadInstanceProxy();
    const tokenUrl = `${server.url}/token`;
    const before = proxy.requests().length;
    await requestClientCredentialsToken({ tokenUrl, ...CLIENT }, oauthOptions([tokenUrl], noSecrets));
    expect(proxy.requests().slice(before)).toEqual([`POST ${tokenUrl} HTTP/1.1`]);
    await requestClientCredentialsToken({ tokenUrl, ...CLIENT }, oauthOptions([tokenUrl], noSecrets, { proxy: { mode: "none" } }));
    expect(proxy.requests().length).toBe(before + 1);
  });
});
