import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { startOAuth1Server, type OAuth1Peer, type OAuth1PeerClient } from "@/e2e/support/oauth1-server";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { executeHttpRequest } from "@/lib/http/execute";
import { createMasker, MASK } from "@/lib/http/mask";
import type { RequestSpecInput } from "@/lib/http/spec";
import type { ConnectionTypeServer } from "../descriptor";
import { buildProvider } from "../provider";
import { oauth1Form, PLACEMENTS, SIGNATURE_METHODS } from "./form";
import { oauth1Server } from "./server";

/**
 * OAuth 1.0a end to end: requests signed by the connection type, through the executor, against a resource
 * server built on python3-oauthlib that recomputes each signature (e2e/support/oauth1-resource-server.py).
 */

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsaPrivatePem = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();

// Secrets with characters that percent-encoding changes, so every encoding path is exercised.
const CLIENT: OAuth1PeerClient = {
  key: "xvz1evFS4wEEPTGEFPHBog",
  secret: "kAcSOqF21Fu85e7/zjz7ZN2U+4ZRhfV3",
  token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
  tokenSecret: "LswwdoUaIvS8ltyTt5jk Rh4J50vUPV&HtR2YPi5kE",
};
// oauthlib percent-decodes oauth_ parameters from a query or form body twice (its own Client fails the same
// way), so a PLAINTEXT signature there only verifies when the secrets need no percent-encoding.
const PLAIN_CLIENT: OAuth1PeerClient = {
  key: "plainConsumerKey2024",
  secret: "PlainConsumerSecret9x7",
  token: "plain-token-8734519283",
  tokenSecret: "PlainTokenSecret55k2",
};
const PEER: OAuth1Peer = {
  clients: [CLIENT, PLAIN_CLIENT],
  rsaPublicKey: rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
  realm: "Photos",
};

const allowedTargets = parseAllowedHosts("127.0.0.1");
let peer: { url: string; stop: () => Promise<void> };

beforeAll(async () => {
  peer = await startOAuth1Server(PEER);
});
afterAll(async () => {
  await closeHttpAgents();
  await peer?.stop();
});

type Input = z.input<typeof oauth1Form.schema>;

/** A connection as the app builds it: the form's input parsed, secrets split off, a masker over them. */
function connection(input: Partial<Input> = {}, server: ConnectionTypeServer<Config> = oauth1Server, opts: { derivedSecrets?: boolean } = {}) {
  const parsed = oauth1Form.schema.parse({
    ...oauth1Form.defaults,
    name: "Peer",
    consumerKey: CLIENT.key,
    consumerSecret: CLIENT.secret,
    token: CLIENT.token,
    oauthTokenSecret: CLIENT.tokenSecret,
    ...input,
  });
  const { consumerSecret, oauthTokenSecret, privateKeyPem, ...rest } = parsed;
  const config = { ...rest, allowedHosts: ["127.0.0.1"] };
  const secrets = { consumerSecret, oauthTokenSecret, privateKeyPem };
  const derived = opts.derivedSecrets === false ? [] : (server.derivedSecrets?.(config, secrets) ?? []);
  const provider = buildProvider(server, {
    config,
    secrets,
    masker: createMasker([...Object.values(secrets), ...derived]),
    expiredStatuses: [401],
    accessToken: () => Promise.reject(new Error("OAuth 1.0a holds no access token")),
    session: new Map(),
  });
  return { provider, config, secrets };
}
type Config = Parameters<typeof oauth1Server.summary>[0];

const send = (spec: RequestSpecInput, input: Partial<Input> = {}) =>
  executeHttpRequest({ debug: true, ...spec, url: `${peer.url}${spec.url}` }, { provider: connection(input).provider, allowedTargets });

const methodInput = (signatureMethod: Input["signatureMethod"]): Partial<Input> =>
  signatureMethod === "RSA-SHA1" ? { signatureMethod, consumerSecret: "", oauthTokenSecret: "", privateKeyPem: rsaPrivatePem } : { signatureMethod };

/** What the request needs for a placement: the body placement rides on a form-encoded POST. */
const requestFor = (placement: Input["placement"]): RequestSpecInput =>
  placement === "body"
    ? {
        method: "POST",
        url: "/resource",
        body: { type: "urlencoded", fields: [{ key: "status", value: "Hello Ladies + Gentlemen", enabled: true }] },
      }
    : { method: "GET", url: "/resource?page=2" };

/** Every form of every secret a result could carry, in the executor's own search (all encodings). */
function leaks(result: unknown, secrets: Record<string, string>, extra: string[] = []): boolean {
  const all = createMasker([...Object.values(secrets).filter(Boolean), ...extra]);
  return all.finds(JSON.stringify(result));
}

describe("OAuth 1.0a against oauthlib's ResourceEndpoint", () => {
  const cases = SIGNATURE_METHODS.flatMap((method) => PLACEMENTS.map((placement) => [method, placement] as const));

  it.each(cases)("%s in the %s is accepted", async (signatureMethod, placement) => {
    const client = signatureMethod === "PLAINTEXT" && placement !== "header" ? PLAIN_CLIENT : CLIENT;
    const input = {
      consumerKey: client.key,
      consumerSecret: client.secret,
      token: client.token,
      oauthTokenSecret: client.tokenSecret,
      ...methodInput(signatureMethod),
      placement,
    };
    const r = await send(requestFor(placement), input);
    expect(r).toMatchObject({
      ok: true,
      status: 200,
      attempts: 1,
      output: { client_key: client.key, token: client.token, signature_method: signatureMethod, placement },
    });
    // Secrets in no form anywhere in the result (debug requests included); PLAINTEXT's signature is masked.
    const { secrets } = connection(input);
    expect(leaks(r, secrets, signatureMethod === "PLAINTEXT" ? oauth1Server.derivedSecrets?.(connection(input).config, secrets) : [])).toBe(false);
    if (signatureMethod === "PLAINTEXT" && r.ok) expect(JSON.stringify(r.requests)).toContain(MASK);
  });

  it("signs a GET's query parameters (spaces, plus signs, reserved characters, repeated names)", async () => {
    const r = await send({
      url: "/resource/photos?size=original&file=vacation%20photo+1.jpg",
      query: [
        { key: "tag", value: "b&w=ok", enabled: true },
        { key: "tag", value: "a~*'()!", enabled: true },
        { key: "city", value: "Zürich", enabled: true },
      ],
    });
    expect(r).toMatchObject({ ok: true, status: 200 });
    if (!r.ok) return;
    const params = (r.output as { params: [string, string][] }).params;
    expect(params).toEqual(
      expect.arrayContaining([
        ["size", "original"],
        ["file", "vacation photo 1.jpg"],
        ["tag", "b&w=ok"],
        ["tag", "a~*'()!"],
        ["city", "Zürich"],
      ]),
    );
  });

  it("signs a form-encoded POST body's fields with the signature in the header", async () => {
    const fields = [
      { key: "status", value: "Hello Ladies + Gentlemen, a signed OAuth request!", enabled: true },
      { key: "include_entities", value: "true", enabled: true },
      { key: "include_entities", value: "false", enabled: true },
    ];
    const r = await send({ method: "POST", url: "/resource/statuses", body: { type: "urlencoded", fields } });
    expect(r).toMatchObject({ ok: true, status: 200, output: { placement: "header", method: "POST" } });
    if (!r.ok) return;
    expect((r.output as { params: [string, string][] }).params).toEqual(expect.arrayContaining(fields.map((f) => [f.key, f.value])));
  });

  it("signs a JSON body's request in the header (the body is not part of the signature)", async () => {
    const r = await send({ method: "PUT", url: "/resource/1", body: { type: "raw", contentType: "json", text: '{"a":1}' } });
    expect(r).toMatchObject({ ok: true, status: 200, output: { placement: "header", method: "PUT" } });
  });

  it("sends the realm in the header, outside the signature", async () => {
    const r = await send({ url: "/resource" }, { realm: PEER.realm });
    expect(r).toMatchObject({ ok: true, status: 200, output: { realm: PEER.realm } });
    if (r.ok) expect(r.requests?.[0].headers.authorization).toMatch(/^OAuth realm="Photos", oauth_consumer_key=/);
    const wrong = await send({ url: "/resource" }, { realm: "Videos" });
    expect(wrong).toMatchObject({ ok: true, status: 401, output: { error_description: "the request's realm did not validate" } });
  });

  it("signs requests by the consumer alone when there is no token (two-legged)", async () => {
    const r = await send({ url: "/two-legged/ping?x=1" }, { token: "", oauthTokenSecret: "" });
    expect(r).toMatchObject({ ok: true, status: 200, output: { client_key: CLIENT.key, token: null } });
  });

  it("fails with 401 and the server's reason when the consumer secret is wrong", async () => {
    const r = await send({ url: "/resource" }, { consumerSecret: "not-the-consumer-secret" });
    // The 401 is resent once as an expired credential (with a new signature), then shown as the answer.
    expect(r).toMatchObject({
      ok: true,
      status: 401,
      attempts: 2,
      output: { error: "invalid_request", error_description: "the request's signature did not validate" },
    });
    expect(JSON.stringify(r)).not.toContain("not-the-consumer-secret");
  });

  it("uses a fresh nonce and timestamp for every request: the peer refuses a replayed one", async () => {
    const { provider } = connection();
    const first = await executeHttpRequest({ url: `${peer.url}/resource`, debug: true }, { provider, allowedTargets });
    const second = await executeHttpRequest({ url: `${peer.url}/resource`, debug: true }, { provider, allowedTargets });
    expect(first).toMatchObject({ ok: true, status: 200 });
    expect(second).toMatchObject({ ok: true, status: 200 });
    const nonce = (r: typeof first) => (r.ok ? /oauth_nonce="([^"]+)"/.exec(r.requests?.[0].headers.authorization ?? "")?.[1] : undefined);
    expect(nonce(first)).toMatch(/^[0-9a-f]{32}$/);
    expect(nonce(second)).not.toBe(nonce(first));

    // The same signed request sent twice: what a signature without a fresh nonce would meet.
    let signed: string | undefined;
    const replaying = buildProvider<Config>(
      {
        ...oauth1Server,
        async apply(req, ctx) {
          if (signed) req.headers.set("authorization", signed);
          else {
            await oauth1Server.apply(req, ctx);
            signed = req.headers.get("authorization") ?? undefined;
          }
        },
      },
      { ...partsOf(connection()), expiredStatuses: [] },
    );
    const once = await executeHttpRequest({ url: `${peer.url}/resource` }, { provider: replaying, allowedTargets });
    const again = await executeHttpRequest({ url: `${peer.url}/resource` }, { provider: replaying, allowedTargets });
    expect(once).toMatchObject({ ok: true, status: 200 });
    expect(again).toMatchObject({ ok: true, status: 401, output: { error_description: expect.stringContaining("replayed") } });
  });

  it("signs each same-origin redirect hop anew", async () => {
    const r = await send({ url: "/hop?to=/resource/after-redirect" });
    expect(r).toMatchObject({ ok: true, status: 200, redirects: [{ status: 302 }] });
    // Copying the first hop's signature to the next URL is refused: it signed another URL, with a used nonce.
    const copying = buildProvider<Config>({ ...oauth1Server, signsEachHop: false }, { ...partsOf(connection()), expiredStatuses: [] });
    const copied = await executeHttpRequest({ url: `${peer.url}/hop?to=/resource/after-redirect` }, { provider: copying, allowedTargets });
    expect(copied).toMatchObject({ ok: true, status: 401 });
  });

  it("re-signs a form body on a same-origin 307 hop, starting from the user's body", async () => {
    const fields = [{ key: "status", value: "kept across the hop", enabled: true }];
    const r = await send(
      { method: "POST", url: "/hop?status=307&to=/resource/moved", followAllRedirects: true, body: { type: "urlencoded", fields } },
      { placement: "body" },
    );
    expect(r).toMatchObject({ ok: true, status: 200, url: `${peer.url}/resource/moved`, output: { placement: "body", method: "POST" } });
    if (r.ok) expect((r.output as { params: [string, string][] }).params).toEqual([["status", "kept across the hop"]]);
  });

  it("refuses the body placement after a 302 turned a form POST into a GET, which has no body", async () => {
    const fields = [{ key: "status", value: "lost", enabled: true }];
    const r = await send(
      { method: "POST", url: "/hop?to=/resource", followAllRedirects: true, body: { type: "urlencoded", fields } },
      { placement: "body" },
    );
    expect(r).toMatchObject({ ok: false, kind: "credentials", message: expect.stringContaining("a GET request has no body") });
  });

  it("refuses the body placement for a request whose body is not a form, and says why", async () => {
    const json = await send({ method: "POST", url: "/resource", body: { type: "raw", contentType: "json", text: '{"a":1}' } }, { placement: "body" });
    expect(json).toMatchObject({
      ok: false,
      kind: "credentials",
      message: expect.stringContaining("needs an application/x-www-form-urlencoded body; this request's body is application/json"),
    });
    const get = await send({ url: "/resource" }, { placement: "body" });
    expect(get).toMatchObject({ ok: false, kind: "credentials", message: expect.stringContaining("a GET request has no body") });
  });

  it("puts the signature into a new form body for a POST without one", async () => {
    const r = await send({ method: "POST", url: "/resource" }, { placement: "body" });
    expect(r).toMatchObject({ ok: true, status: 200, output: { placement: "body" } });
  });

  it("refuses a request that carries OAuth protocol parameters of its own", async () => {
    const r = await send({ url: "/resource?oauth_nonce=mine" });
    expect(r).toMatchObject({ ok: false, kind: "credentials", message: expect.stringContaining("already has an oauth_nonce parameter") });
  });

  it("says when the RSA private key is not a usable RSA key, quoting none of it", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const notRsa = await send({ url: "/resource" }, { ...methodInput("RSA-SHA1"), privateKeyPem: ec });
    expect(notRsa).toMatchObject({
      ok: false,
      kind: "credentials",
      message: expect.stringContaining("RSA-SHA1 needs an RSA private key; this one is ec"),
    });
    const broken = rsaPrivatePem.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!");
    const unreadable = await send({ url: "/resource" }, { ...methodInput("RSA-SHA1"), privateKeyPem: broken });
    expect(unreadable).toMatchObject({ ok: false, kind: "credentials", message: expect.stringContaining("the RSA private key could not be read") });
    expect(JSON.stringify(unreadable)).not.toMatch(/BEGIN|MII/);
  });

  it("masks PLAINTEXT signatures through the derived secret forms (the raw secrets alone miss them)", async () => {
    const input = { signatureMethod: "PLAINTEXT" as const };
    const spec = { url: `${peer.url}/resource`, debug: true };
    const without = await executeHttpRequest(spec, { provider: connection(input, oauth1Server, { derivedSecrets: false }).provider, allowedTargets });
    const masked = await executeHttpRequest(spec, { provider: connection(input).provider, allowedTargets });
    expect(without).toMatchObject({ ok: true, status: 200 });
    expect(masked).toMatchObject({ ok: true, status: 200 });
    // "/" and "+" are encoded twice on the wire (%252F, %252B), which a masker of the raw secrets does not find.
    expect(JSON.stringify(without)).toContain("kAcSOqF21Fu85e7%252Fzjz7ZN2U%252B4ZRhfV3");
    expect(JSON.stringify(masked)).not.toContain("zjz7ZN2U");
  });

  it("masks the signature in a query placement's URLs", async () => {
    const r = await send({ url: "/resource" }, { placement: "query" });
    expect(r).toMatchObject({ ok: true, status: 200 });
    if (r.ok) expect(r.requests?.[0].url).toContain(`oauth_signature=${MASK}`);
  });
});

describe("OAuth 1.0a descriptor", () => {
  it("exports no signature to cURL and says why", () => {
    const { config, secrets } = connection();
    expect(oauth1Server.curl(config, secrets)).toMatchObject({ kind: "unsupported", note: expect.stringContaining("signs each request anew") });
  });

  it("summarises the signature method and placement", () => {
    expect(oauth1Server.summary(connection({ signatureMethod: "HMAC-SHA256", placement: "query" }).config)).toEqual([
      { label: "Signature", value: "HMAC-SHA256" },
      { label: "Placement", value: "Query parameters" },
    ]);
    expect(oauth1Server.summary(connection({ realm: "Photos", token: "", oauthTokenSecret: "" }).config)).toEqual([
      { label: "Signature", value: "HMAC-SHA1" },
      { label: "Placement", value: "Authorization header" },
      { label: "Token", value: "none (two-legged)" },
      { label: "Realm", value: "Photos" },
    ]);
  });
});

function partsOf(c: ReturnType<typeof connection>) {
  return {
    config: c.config,
    secrets: c.secrets,
    masker: createMasker(Object.values(c.secrets)),
    accessToken: () => Promise.reject(new Error("OAuth 1.0a holds no access token")),
    session: new Map<string, unknown>(),
  };
}
