import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTHLIB_CLIENTS, AUTHLIB_SERVICE_ACCOUNT, AUTHLIB_USERS, startAuthlibServer, type AuthlibServer } from "@/e2e/support/authlib-server";
import { startAwsSigV4Peer } from "@/e2e/support/aws-sigv4-peer";
import { startOAuth1Server } from "@/e2e/support/oauth1-server";
import { JWT_AUTH_TEST_CLIENTS } from "@/e2e/support/oauth-test-config";
import { TEST_OTHER_RSA_PRIVATE_KEY, TEST_RSA_PRIVATE_KEY } from "@/e2e/support/oauth-test-keys";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { listTokenEvents } from "@/lib/connections";
import { startSessionServer, type SessionServer } from "@/lib/connections/types/custom/testing/session-server";
import { CONNECTION_TYPES } from "@/lib/connections/schemas";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { MASK } from "@/lib/http/mask";
import { requestSpecSchema } from "@/lib/http/spec";
import { generateClientCertificates, type ClientCertificateFixtures } from "@/lib/http/testing/certificates";
import { httpbinUrl, startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { basic, BASE, formRequest, makeClient } from "@/lib/oauth-server/test-helpers";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { curlWithCredentials } from "@/lib/requests/curl-with-credentials";
import type { TeamContext } from "@/lib/auth/team-context";
import { makeTeamContext } from "@/lib/testing/factories";
import { leaksIn } from "@/lib/testing/secret-leaks";
import { buildOpenApiDocument } from "../openapi";
import { apiRouteHandler } from "../handler";
import * as connectionRoutes from "./connections";
import { runRequestRoute } from "./requests";

/**
 * Every connection scheme end to end through the app: created and replaced over the REST API, verified against
 * its real peer, used by POST /api/v1/requests/run, shown by Copy as cURL, with its token timeline, and never a
 * secret in any answer. Each peer is started once for the file.
 */

// Secrets of the peers (test values), long and distinctive so a leak is unmistakable.
const DIGEST = { user: "ann", password: "digest-pw-Zq81rT" };
const OAUTH1 = {
  key: "verifyConsumerKey2024",
  secret: "verifyConsumerSecret-8cKq",
  token: "verify-token-55120093",
  tokenSecret: "verifyTokenSecret-3vW7",
};
const AWS = { accessKeyId: "AKIAVERIFYEXAMPLE01", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/verifyEXAMPLEKEY" };
const SESSION = { username: "operator", password: "session-pw-Lm55Tq", apiKey: "session-api-key-0x71" };
const API_KEY = "mtls-api-key-Yh42pQ";
const WRONG = "wrong-secret-Xx90kJ";

let bin: string;
let oauth1: { url: string; stop: () => Promise<void> };
let aws: { url: string; stop: () => Promise<void> };
let authlib: AuthlibServer;
let session: SessionServer;
let certs: ClientCertificateFixtures;
let mtls: LocalServer;
let ctx: TeamContext;
let token: string;

/**
 * An HTTPS server requiring a client certificate from the test CA. POST /login and POST /token (an OAuth token
 * endpoint) issue a token for the client certificate alone; other paths answer the certificate's subject to the
 * API key or that token (in X-Session or as a bearer token).
 */
const TLS_SESSION = "tls-session-token-4242";
function whoami(req: IncomingMessage, res: ServerResponse) {
  const { subject } = (req.socket as TLSSocket).getPeerCertificate();
  const answer = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  if (req.url === "/login" && req.method === "POST") return answer(200, { token: TLS_SESSION, expires_in: 600 });
  if (req.url === "/token" && req.method === "POST") return answer(200, { access_token: TLS_SESSION, token_type: "Bearer", expires_in: 600 });
  const keyed = [`Bearer ${API_KEY}`, `Bearer ${TLS_SESSION}`].includes(req.headers.authorization ?? "") || req.headers["x-session"] === TLS_SESSION;
  answer(keyed ? 200 : 401, keyed ? { subject: { CN: subject.CN, O: subject.O } } : { error: "no_api_key" });
}

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  bin = httpbinUrl();
  certs = generateClientCertificates();
  [oauth1, aws, authlib, session, mtls] = await Promise.all([
    startOAuth1Server({ clients: [OAUTH1], rsaPublicKey: "", realm: "Photos" }),
    startAwsSigV4Peer([AWS]),
    startAuthlibServer(),
    startSessionServer({ ...SESSION, ttlMs: 600_000 }),
    startLocalServer(whoami, { ...certs.server, ca: certs.caPem, requestCert: true, rejectUnauthorized: true }),
  ]);
  ctx = await makeTeamContext("admin");
  const app = await makeClient(ctx, { scopes: ["connections:read", "connections:write", "requests:run"], role: "member" });
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
  );
  token = ((await response.json()) as { access_token: string }).access_token;
}, 90_000);

afterAll(async () => {
  await closeHttpAgents();
  await Promise.all([oauth1?.stop(), aws?.stop(), authlib?.stop(), session?.close(), mtls?.close()]);
});

async function call(route: Parameters<typeof apiRouteHandler>[0], options: { path: string; method: string; id?: string; body?: unknown }) {
  const response = await apiRouteHandler(route)(
    new Request(`${BASE}${options.path}`, {
      method: options.method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    { params: Promise.resolve<Record<string, string>>(options.id ? { id: options.id } : {}) },
  );
  const text = await response.text();
  return { status: response.status, text, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

interface Scheme {
  /** The connection's input for the REST API, with its Test URL on the peer. */
  input(): Record<string, unknown>;
  /** The secrets in it, none of which may come back. */
  secrets(): string[];
  /** What Verify says when it succeeds. */
  verified: RegExp;
  /** The same connection with one secret wrong, and what Verify then says. */
  wrong(): Record<string, unknown>;
  refused: RegExp;
  /** A request through POST /api/v1/requests/run, and what the peer answered when it accepted it. */
  run(): Record<string, unknown>;
  accepted(): Record<string, unknown>;
  /** Token timeline words (types that obtain a token). */
  issued?: string;
}

const SCHEMES: Record<string, Scheme> = {
  digest: {
    input: () => ({
      type: "digest",
      username: DIGEST.user,
      password: DIGEST.password,
      testUrl: `${bin}/digest-auth/auth/${DIGEST.user}/${DIGEST.password}/SHA-256`,
    }),
    secrets: () => [DIGEST.password],
    verified: /^Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.digest.input(), password: WRONG }),
    refused: /^Test URL 127\.0\.0\.1:\d+ answered HTTP 401/,
    run: () => ({ spec: { url: `${bin}/digest-auth/auth/${DIGEST.user}/${DIGEST.password}/MD5` } }),
    accepted: () => ({ authenticated: true, user: DIGEST.user }),
  },
  oauth1: {
    input: () => ({
      type: "oauth1",
      consumerKey: OAUTH1.key,
      consumerSecret: OAUTH1.secret,
      token: OAUTH1.token,
      oauthTokenSecret: OAUTH1.tokenSecret,
      signatureMethod: "HMAC-SHA256",
      realm: "Photos",
      testUrl: `${oauth1.url}/resource/me`,
    }),
    secrets: () => [OAUTH1.secret, OAUTH1.tokenSecret],
    verified: /^Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.oauth1.input(), consumerSecret: WRONG }),
    refused: /^Test URL 127\.0\.0\.1:\d+ answered HTTP 401 .*signature/,
    run: () => ({ spec: { url: `${oauth1.url}/resource/photos?size=large` } }),
    accepted: () => ({ client_key: OAUTH1.key, token: OAUTH1.token, signature_method: "HMAC-SHA256", realm: "Photos" }),
  },
  aws_sigv4: {
    input: () => ({
      type: "aws_sigv4",
      accessKeyId: AWS.accessKeyId,
      secretAccessKey: AWS.secretAccessKey,
      region: "eu-west-1",
      service: "execute-api",
      testUrl: `${aws.url}/prod/health`,
    }),
    secrets: () => [AWS.secretAccessKey],
    verified: /^Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.aws_sigv4.input(), secretAccessKey: WRONG }),
    refused: /^Test URL 127\.0\.0\.1:\d+ answered HTTP 403 .*SignatureDoesNotMatch/,
    run: () => ({ spec: { method: "POST", url: `${aws.url}/prod/orders`, body: { type: "raw", contentType: "json", text: '{"n":1}' } } }),
    accepted: () => ({ authenticated: true, method: "POST", path: "/prod/orders" }),
  },
  custom: {
    input: () => ({
      type: "custom",
      secrets: [
        { name: "username", value: SESSION.username },
        { name: "password", value: SESSION.password },
      ],
      template: '{"headers": {"X-Session": "{{token}}"}}',
      login: true,
      loginUrl: `${session.url}/login`,
      loginBodyType: "json",
      loginBody: '{ "username": "{{secret.username}}", "password": "{{secret.password}}" }',
      tokenPath: "$.token",
      lifetime: "path",
      lifetimePath: "$.expires_in",
      testUrl: `${session.url}/data`,
    }),
    secrets: () => [SESSION.password],
    verified: /^Obtained an access token; Test URL answered HTTP 200\.$/,
    wrong: () => ({
      ...SCHEMES.custom.input(),
      secrets: [
        { name: "username", value: SESSION.username },
        { name: "password", value: WRONG },
      ],
    }),
    refused: /login.*401.*wrong username or password/,
    run: () => ({ spec: { url: `${session.url}/data` } }),
    // The username is one of the template's secrets, so the service's echo of it is masked too.
    accepted: () => ({ ok: true, user: MASK }),
    issued: "Session token obtained (login).",
  },
  oauth2_jwt_bearer: {
    input: () => ({
      type: "oauth2_jwt_bearer",
      tokenUrl: authlib.tokenUrl,
      assertionIssuer: AUTHLIB_SERVICE_ACCOUNT.issuer,
      subject: "alice",
      scopes: "read",
      assertionKey: TEST_RSA_PRIVATE_KEY,
      assertionKeyId: "test-rsa",
      assertionAlg: "RS256",
      testUrl: authlib.resourceUrl,
    }),
    secrets: () => [TEST_RSA_PRIVATE_KEY, ...pemLines(TEST_RSA_PRIVATE_KEY)],
    verified: /^Obtained an access token; Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.oauth2_jwt_bearer.input(), assertionKey: TEST_OTHER_RSA_PRIVATE_KEY }),
    refused: /Getting an access token failed: .*invalid_grant/,
    run: () => ({ spec: { url: `${authlib.url}/resource/orders` } }),
    accepted: () => ({ token: { client_id: AUTHLIB_SERVICE_ACCOUNT.issuer, sub: "alice", scope: "read" } }),
    issued: "Access token issued (JWT bearer).",
  },
  oauth2_password: {
    input: () => ({
      type: "oauth2_password",
      tokenUrl: authlib.tokenUrl,
      username: "alice",
      password: AUTHLIB_USERS.alice,
      clientId: AUTHLIB_CLIENTS.post.clientId,
      clientAuth: "client_secret_post",
      clientSecret: AUTHLIB_CLIENTS.post.clientSecret,
      scopes: "read",
      testUrl: authlib.resourceUrl,
    }),
    secrets: () => [AUTHLIB_USERS.alice, AUTHLIB_CLIENTS.post.clientSecret],
    verified: /^Obtained an access token; Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.oauth2_password.input(), password: WRONG }),
    refused: /Getting an access token failed: The provider refused the username and password/,
    run: () => ({ spec: { url: `${authlib.url}/resource/orders` } }),
    accepted: () => ({ token: { client_id: AUTHLIB_CLIENTS.post.clientId, sub: "alice", grant_type: "password" } }),
    issued: "Access token issued (password grant).",
  },
  oauth2_client_credentials_private_key_jwt: {
    input: () => ({
      type: "oauth2_client_credentials",
      tokenUrl: `${process.env.OAUTH_TEST_ISSUER}/token`,
      clientId: JWT_AUTH_TEST_CLIENTS.privateKeyJwtRs256.clientId,
      clientAuth: "private_key_jwt",
      privateKey: TEST_RSA_PRIVATE_KEY,
      keyId: "test-rsa",
      signingAlg: "RS256",
      scopes: "read:things",
      testUrl: process.env.OAUTH_TEST_RESOURCE_URL,
    }),
    secrets: () => [TEST_RSA_PRIVATE_KEY, ...pemLines(TEST_RSA_PRIVATE_KEY)],
    verified: /^Obtained an access token; Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.oauth2_client_credentials_private_key_jwt.input(), privateKey: TEST_OTHER_RSA_PRIVATE_KEY }),
    refused: /Getting an access token failed: .*invalid_client/,
    run: () => ({ spec: { url: `${process.env.OAUTH_TEST_RESOURCE_URL}/things` } }),
    accepted: () => ({ token: { clientId: JWT_AUTH_TEST_CLIENTS.privateKeyJwtRs256.clientId, scope: "read:things" } }),
    issued: "Access token issued (client credentials).",
  },
  api_key_client_certificate: {
    input: () => ({
      type: "api_key",
      apiKey: API_KEY,
      scheme: "Bearer",
      tlsCertificate: certs.client.cert,
      tlsPrivateKey: certs.client.key,
      // The peer's certificate is signed by the test CA, as an internal server's would be by a private one.
      tlsCaCertificate: certs.caPem,
      testUrl: `${mtls.url}/whoami`,
    }),
    secrets: () => [API_KEY, ...pemLines(certs.client.key)],
    verified: /^Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.api_key_client_certificate.input(), tlsCertificate: certs.stranger.cert, tlsPrivateKey: certs.stranger.key }),
    refused: /client certificate/,
    // A request's own CA certificate is trusted along with the connection's, not instead of it.
    run: () => ({ spec: { url: `${mtls.url}/whoami`, caCertificatePem: certs.stranger.cert } }),
    accepted: () => ({ subject: { CN: "plugboard-client", O: "Plugboard Tests" } }),
  },
  // The login step is a token call: it presents the client certificate and trusts the connection's CA too.
  custom_login_client_certificate: {
    input: () => ({
      type: "custom",
      secrets: [{ name: "key", value: API_KEY }],
      template: '{"headers": {"X-Session": "{{token}}"}}',
      login: true,
      loginUrl: `${mtls.url}/login`,
      loginBodyType: "json",
      loginBody: '{ "key": "{{secret.key}}" }',
      tlsCertificate: certs.client.cert,
      tlsPrivateKey: certs.client.key,
      tlsCaCertificate: certs.caPem,
      testUrl: `${mtls.url}/whoami`,
    }),
    secrets: () => [API_KEY, ...pemLines(certs.client.key)],
    verified: /^Obtained an access token; Test URL answered HTTP 200\.$/,
    wrong: () => ({ ...SCHEMES.custom_login_client_certificate.input(), tlsCertificate: certs.stranger.cert, tlsPrivateKey: certs.stranger.key }),
    refused: /Getting an access token failed: the login request failed: .*client certificate/,
    run: () => ({ spec: { url: `${mtls.url}/whoami` } }),
    accepted: () => ({ subject: { CN: "plugboard-client", O: "Plugboard Tests" } }),
    issued: "Session token obtained (login).",
  },
  // So is the OAuth token request.
  oauth2_client_credentials_client_certificate: {
    input: () => ({
      type: "oauth2_client_credentials",
      tokenUrl: `${mtls.url}/token`,
      clientId: "mtls-client",
      clientAuth: "client_secret_post",
      clientSecret: API_KEY,
      tlsCertificate: certs.client.cert,
      tlsPrivateKey: certs.client.key,
      tlsCaCertificate: certs.caPem,
      testUrl: `${mtls.url}/whoami`,
    }),
    secrets: () => [API_KEY, ...pemLines(certs.client.key)],
    verified: /^Obtained an access token; Test URL answered HTTP 200\.$/,
    wrong: () => ({
      ...SCHEMES.oauth2_client_credentials_client_certificate.input(),
      tlsCertificate: certs.stranger.cert,
      tlsPrivateKey: certs.stranger.key,
    }),
    refused: /Getting an access token failed: .*client certificate/,
    run: () => ({ spec: { url: `${mtls.url}/whoami` } }),
    accepted: () => ({ subject: { CN: "plugboard-client", O: "Plugboard Tests" } }),
    issued: "Access token issued (client credentials).",
  },
};

/** The inner lines of a PEM key: a message quoting one line of it gives part of the key away. */
function pemLines(pem: string): string[] {
  return pem
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("-----"))
    .slice(1, -1);
}

function expectNoSecret(values: unknown[], secrets: string[]) {
  expect(leaksIn(values, secrets)).toEqual([]);
}

async function create(name: string, input: Record<string, unknown>) {
  const created = await call(connectionRoutes.createConnectionRoute, {
    path: "/api/v1/connections",
    method: "POST",
    body: { name, allowedDomains: "127.0.0.1", ...input },
  });
  expect(created.status, created.text).toBe(201);
  return created;
}

const verify = (id: string) => call(connectionRoutes.verifyConnectionRoute, { path: `/api/v1/connections/${id}/verify`, method: "POST", id });

describe("every connection scheme through the REST API, against its peer", () => {
  for (const [label, scheme] of Object.entries(SCHEMES)) {
    it(`${label}: created, replaced (secrets sent again), verified, and used by a request`, async () => {
      const input = scheme.input();
      const created = await create(`${label} v1`, input);
      const id = created.json.id as string;
      expect(created.json).toMatchObject({ type: input.type, status: "never_verified", allowedHosts: ["127.0.0.1"] });

      const replaced = await call(connectionRoutes.updateConnectionRoute, {
        path: `/api/v1/connections/${id}`,
        method: "PUT",
        id,
        body: { name: `${label} v2`, allowedDomains: "127.0.0.1", ...input },
      });
      expect(replaced.status, replaced.text).toBe(200);
      expect(replaced.json).toMatchObject({ id, name: `${label} v2`, type: input.type });

      const verified = await verify(id);
      expect(verified.status).toBe(200);
      expect(verified.json).toMatchObject({ ok: true, message: expect.stringMatching(scheme.verified) });

      const ran = await call(runRequestRoute, { path: "/api/v1/requests/run", method: "POST", body: { connectionId: id, ...scheme.run() } });
      expect(ran.status, ran.text).toBe(200);
      expect(ran.json, ran.text).toMatchObject({ ok: true, status: 200, body: { type: "json", value: scheme.accepted() } });

      const read = await call(connectionRoutes.getConnectionRoute, { path: `/api/v1/connections/${id}`, method: "GET", id });
      expect(read.json).toMatchObject({ status: "verified", lastVerifyOk: true });
      expectNoSecret([created.text, replaced.text, verified.text, ran.json, read.text], scheme.secrets());

      if (scheme.issued) {
        const events = await listTokenEvents(await getDb(), ctx, id);
        expect(events.map((e) => [e.kind, e.message])).toContainEqual(["issued", scheme.issued]);
        expectNoSecret([events], scheme.secrets());
      }
    });

    it(`${label}: a wrong secret fails Verify, saying what failed without the secret`, async () => {
      const created = await create(`${label} wrong`, scheme.wrong());
      const id = created.json.id as string;
      const verified = await verify(id);
      expect(verified.status).toBe(200);
      expect(verified.json, verified.text).toMatchObject({ ok: false, message: expect.stringMatching(scheme.refused) });
      expectNoSecret([created.text, verified.text], [...scheme.secrets(), WRONG, ...pemLines(TEST_OTHER_RSA_PRIVATE_KEY)]);
      const read = await call(connectionRoutes.getConnectionRoute, { path: `/api/v1/connections/${id}`, method: "GET", id });
      expect(read.json).toMatchObject({ status: "failed", lastVerifyOk: false, lastVerifyMessage: verified.json.message });

      if (scheme.issued) {
        const events = await listTokenEvents(await getDb(), ctx, id);
        expect(events.map((e) => e.kind)).toEqual(["refresh_failed"]);
        expect(events[0].message).toMatch(scheme.refused);
        expectNoSecret([events], [...scheme.secrets(), WRONG, ...pemLines(TEST_OTHER_RSA_PRIVATE_KEY)]);
      }
    });
  }

  it("lists every connection type in the OpenAPI document's connection input", () => {
    const doc = buildOpenApiDocument();
    for (const [path, method] of [
      ["/api/v1/connections", "post"],
      ["/api/v1/connections/{id}", "put"],
    ] as const) {
      const op = (
        doc.paths[path] as Record<string, { requestBody: { content: { "application/json": { schema: { oneOf?: unknown[]; anyOf?: unknown[] } } } } }>
      )[method];
      const schema = op.requestBody.content["application/json"].schema;
      const variants = (schema.oneOf ?? schema.anyOf ?? []) as Array<{ properties: { type: { const?: string; enum?: string[] } } }>;
      const types = variants.map((v) => v.properties.type.const ?? v.properties.type.enum?.[0]);
      expect(types.sort()).toEqual([...CONNECTION_TYPES].sort());
    }
  });
});

describe("Copy as cURL of each scheme", () => {
  async function curlOf(label: string, input: Record<string, unknown>, url: string) {
    const created = await create(`${label} curl`, input);
    const curl = await curlWithCredentials(await getDb(), ctx, { connectionId: created.json.id as string, spec: requestSpecSchema.parse({ url }) });
    // One option a line: joined, so options and their values read as one command line.
    return curl.replace(/ \\\n\s+/g, " ");
  }

  it("Digest: curl's own --digest with the user and a masked password", async () => {
    const curl = await curlOf("digest", SCHEMES.digest.input(), `${bin}/get`);
    expect(curl).toContain(`--digest --user '${DIGEST.user}:${MASK}'`);
    expectNoSecret([curl], SCHEMES.digest.secrets());
  });

  it("AWS SigV4: curl's own --aws-sigv4 with the access key and a masked secret key and session token", async () => {
    const curl = await curlOf("aws", { ...SCHEMES.aws_sigv4.input(), sessionToken: "session-token-Pq77zz" }, `${aws.url}/prod/health`);
    expect(curl).toContain(`--aws-sigv4 aws:amz:eu-west-1:execute-api --user '${AWS.accessKeyId}:${MASK}'`);
    expect(curl).toContain(`x-amz-security-token: ${MASK}`);
    expectNoSecret([curl], [...SCHEMES.aws_sigv4.secrets(), "session-token-Pq77zz"]);
  });

  it("OAuth 1.0a: says it cannot be expressed, and exports no signature", async () => {
    const curl = await curlOf("oauth1", SCHEMES.oauth1.input(), `${oauth1.url}/resource/me`);
    expect(curl).toContain("OAuth 1.0a signs each request anew");
    expect(curl).not.toMatch(/oauth_signature|authorization/i);
    expectNoSecret([curl], SCHEMES.oauth1.secrets());
  });

  it("a client certificate: --cert and --key name files, never the PEM", async () => {
    const curl = await curlOf("mtls", SCHEMES.api_key_client_certificate.input(), `${mtls.url}/whoami`);
    expect(curl).toContain("--cert client-certificate.pem --key client-key.pem");
    expect(curl).toMatch(new RegExp(`authorization: ${MASK}`, "i"));
    expect(curl).not.toContain("BEGIN");
    expectNoSecret([curl], [...SCHEMES.api_key_client_certificate.secrets(), ...pemLines(certs.client.cert)]);
  });

  it("custom auth: the applied headers and query, secrets and the session token masked", async () => {
    const keyed = await curlOf(
      "custom keyed",
      {
        type: "custom",
        secrets: [{ name: "key", value: SESSION.apiKey }],
        template: '{"headers": {"X-Api-Key": "{{secret.key}}"}, "query": {"api_key": "{{secret.key}}"}}',
      },
      `${session.url}/keyed`,
    );
    expect(keyed).toMatch(new RegExp(`x-api-key: ${MASK}`, "i"));
    expect(keyed).toContain(`/keyed?api_key=${MASK}'`);
    expectNoSecret([keyed], [SESSION.apiKey]);

    const logins = session.counts.logins;
    const withLogin = await curlOf("custom login", SCHEMES.custom.input(), `${session.url}/data`);
    expect(session.counts.logins).toBe(logins + 1);
    expect(withLogin).toMatch(new RegExp(`x-session: ${MASK}`, "i"));
    expectNoSecret([withLogin], SCHEMES.custom.secrets());
  });
});
