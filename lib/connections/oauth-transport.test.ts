import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { createMasker } from "@/lib/http/mask";
import { generateClientCertificates, type ClientCertificateFixtures } from "@/lib/http/testing/certificates";
import { readRequestBody, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import type { ClientCertificate } from "@/lib/http/types";
import { discover, OAuthConfigError, refreshAccessToken, requestClientCredentialsToken } from "@/lib/oauth-client";
import { oauthOptions, type OAuthTls } from "./oauth-transport";

// Letters and digits only: client_secret_basic form-encodes the pair first (RFC 6749 §2.3.1), even "-".
const CLIENT = { clientId: "mtlsclient", clientSecret: "mtlsclientsecret" };
const noSecrets = createMasker(() => []);

/**
 * A small authorization server that requires a client certificate from the test CA (RFC 8705's mTLS setting):
 * RFC 8414 metadata, and a token endpoint for client_credentials and refresh_token whose access token names the
 * certificate's subject, so each test sees which certificate the call presented.
 */
async function startMtlsTokenServer(certs: ClientCertificateFixtures): Promise<LocalServer & { calls: string[] }> {
  const calls: string[] = [];
  let base = "";
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const cn = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    calls.push(`${req.method} ${req.url}`);
    if (req.url === "/.well-known/oauth-authorization-server") return json(200, { issuer: base, token_endpoint: `${base}/token` });
    if (req.method !== "POST" || req.url !== "/token") return json(404, { error: "not_found" });
    const expected = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64")}`;
    if (req.headers.authorization !== expected) return json(401, { error: "invalid_client" });
    const params = new URLSearchParams((await readRequestBody(req)).toString());
    const grant = params.get("grant_type");
    if (grant === "client_credentials") return json(200, { access_token: `token-for-${cn}`, token_type: "Bearer", expires_in: 300 });
    if (grant === "refresh_token" && params.get("refresh_token") === "rt-1")
      return json(200, { access_token: `refreshed-for-${cn}`, token_type: "Bearer", expires_in: 300, refresh_token: "rt-2" });
    return json(400, { error: "unsupported_grant_type" });
  };
  const server = await startLocalServer((req, res) => void handler(req, res), {
    ...certs.server,
    ca: certs.caPem,
    requestCert: true,
    rejectUnauthorized: true,
  });
  base = server.url;
  return Object.assign(server, { calls });
}

describe("OAuth calls present the connection's client certificate", () => {
  let certs: ClientCertificateFixtures;
  let server: LocalServer & { calls: string[] };
  let pem: ClientCertificate;
  const tls = (clientCertificate?: ClientCertificate): OAuthTls => ({ clientCertificate, caCertificatePem: certs.caPem });
  const clientCredentials = (clientCertificate?: ClientCertificate) =>
    requestClientCredentialsToken(
      { tokenUrl: `${server.url}/token`, ...CLIENT },
      oauthOptions([`${server.url}/token`], noSecrets, tls(clientCertificate)),
    );

  beforeAll(async () => {
    // The admin allow-list lets the token calls reach loopback; fixed secrets keep getEnv from writing a data folder.
    vi.stubEnv("PLUGBOARD_ALLOWED_HOSTS", "127.0.0.1");
    vi.stubEnv("AUTH_SECRET", "a".repeat(40));
    vi.stubEnv("PLUGBOARD_ENCRYPTION_KEY", `k1:${Buffer.alloc(32, 7).toString("base64")}`);
    certs = generateClientCertificates();
    pem = { certPem: certs.client.cert, keyPem: certs.client.key };
    server = await startMtlsTokenServer(certs);
  });
  afterAll(async () => {
    await server.close();
    await closeHttpAgents();
    vi.unstubAllEnvs();
  });

  it("a client-credentials token request succeeds with the certificate (PEM or PKCS#12)", async () => {
    expect(await clientCredentials(pem)).toMatchObject({ accessToken: "token-for-plugboard-client", tokenType: "bearer" });
    const pkcs12 = { pfx: certs.pkcs12, passphrase: certs.pkcs12Passphrase };
    expect(await clientCredentials(pkcs12)).toMatchObject({ accessToken: "token-for-plugboard-client" });
  });

  it("without the certificate the token request fails at once, in words, as a setting to fix (never retried)", async () => {
    const before = server.calls.length;
    const err = await clientCredentials(undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect((err as Error).message).toBe(
      `the request to 127.0.0.1:${server.port} failed: TLS error with 127.0.0.1:${server.port}: the server requires a client certificate (mutual TLS) and none was presented; add one to the connection`,
    );
    expect(server.calls.length).toBe(before);
  });

  it("a certificate from a CA the token endpoint does not trust is refused, in words", async () => {
    const err = await clientCredentials({ certPem: certs.stranger.cert, keyPem: certs.stranger.key }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect((err as Error).message).toContain("it most likely refused the one presented");
  });

  it("a PKCS#12 passphrase that does not open the bundle is said without quoting it", async () => {
    const err = await clientCredentials({ pfx: certs.pkcs12, passphrase: "the wrong passphrase" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthConfigError);
    expect((err as Error).message).toBe(
      `the request to 127.0.0.1:${server.port} failed: the connection's client certificate could not be loaded: the passphrase does not open its PKCS#12 bundle`,
    );
  });

  it("the refresh request presents it too", async () => {
    const config = { authorizeUrl: `${server.url}/authorize`, tokenUrl: `${server.url}/token`, ...CLIENT };
    const refreshed = await refreshAccessToken(config, "rt-1", oauthOptions([config.tokenUrl], noSecrets, tls(pem)));
    expect(refreshed).toMatchObject({ accessToken: "refreshed-for-plugboard-client", refreshToken: "rt-2" });
    await expect(refreshAccessToken(config, "rt-1", oauthOptions([config.tokenUrl], noSecrets, tls()))).rejects.toBeInstanceOf(OAuthConfigError);
  });

  it("so does discovery", async () => {
    const found = await discover(server.url, oauthOptions([server.url], noSecrets, tls(pem)));
    expect(found).toMatchObject({ issuer: server.url, tokenUrl: `${server.url}/token` });
    await expect(discover(server.url, oauthOptions([server.url], noSecrets, tls()))).rejects.toThrow(/requires a client certificate/);
  });
});
