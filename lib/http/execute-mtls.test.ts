import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { createMasker } from "./mask";
import { generateClientCertificates, type ClientCertificateFixtures } from "./testing/certificates";
import { startLocalServer, type LocalServer } from "./testing/local-server";
import { startPythonMtlsServer } from "./testing/python-mtls-server";
import type { ClientCertificate, CredentialProvider } from "./types";

const allowedTargets = parseAllowedHosts("127.0.0.1");

/** A provider that adds nothing but the client certificate (what every connection type gets from common fields). */
function presenting(clientCertificate: ClientCertificate | undefined): CredentialProvider {
  return { allowedHosts: ["127.0.0.1"], apply: async () => {}, clientCertificate, masker: createMasker(() => []) };
}

describe("mutual TLS", () => {
  let certs: ClientCertificateFixtures;
  let server: LocalServer;
  let tls12Server: LocalServer;
  const get = (c?: ClientCertificate, url = server.url) =>
    executeHttpRequest({ url: `${url}/whoami`, caCertificatePem: certs.caPem }, { allowedTargets, provider: presenting(c) });

  beforeAll(async () => {
    certs = generateClientCertificates();
    // The peer: node:https requiring a client certificate signed by the test CA; it answers with the certificate's subject.
    const whoami = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
      const { subject } = (req.socket as TLSSocket).getPeerCertificate();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ subject: { CN: subject.CN, O: subject.O } }));
    };
    const mtls = { ...certs.server, ca: certs.caPem, requestCert: true, rejectUnauthorized: true };
    server = await startLocalServer(whoami, mtls);
    tls12Server = await startLocalServer(whoami, { ...mtls, maxVersion: "TLSv1.2" });
  });
  afterAll(async () => {
    await Promise.all([server.close(), tls12Server.close()]);
    await closeHttpAgents();
  });

  it("presents the PEM certificate and key, and the server sees its subject", async () => {
    const r = await get({ certPem: certs.client.cert, keyPem: certs.client.key });
    expect(r).toMatchObject({ ok: true, status: 200, output: { subject: { CN: "plugboard-client", O: "Plugboard Tests" } } });
  });

  it("presents an encrypted PEM key opened with its passphrase", async () => {
    const r = await get({ certPem: certs.client.cert, keyPem: certs.encryptedKey, passphrase: certs.keyPassphrase });
    expect(r).toMatchObject({ ok: true, status: 200, output: { subject: { CN: "plugboard-client" } } });
  });

  it("presents a PKCS#12 bundle opened with its passphrase", async () => {
    const r = await get({ pfx: certs.pkcs12, passphrase: certs.pkcs12Passphrase });
    expect(r).toMatchObject({ ok: true, status: 200, output: { subject: { CN: "plugboard-client" } } });
  });

  it("says in words that the server requires a client certificate when none is presented", async () => {
    const r = await get(undefined);
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok)
      expect(r.message).toBe(
        `TLS error with 127.0.0.1:${server.port}: the server requires a client certificate (mutual TLS) and none was presented; add one to the connection`,
      );
  });

  it("says the server refused a certificate from a CA it does not trust", async () => {
    const r = await get({ certPem: certs.stranger.cert, keyPem: certs.stranger.key });
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok) {
      expect(r.message).toContain(`TLS error with 127.0.0.1:${server.port}: the server asked for a client certificate and closed the connection`);
      expect(r.message).toContain("it most likely refused the one presented");
    }
  });

  it("over TLS 1.2, a missing certificate fails the handshake and says a client certificate may be required", async () => {
    const r = await get(undefined, tls12Server.url);
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok) expect(r.message).toContain("the server refused the TLS handshake: it may require a client certificate (mutual TLS)");
    expect(await get({ certPem: certs.client.cert, keyPem: certs.client.key }, tls12Server.url)).toMatchObject({ ok: true, status: 200 });
  });

  it("does not blame a client certificate when a server that never asked for one closes without answering", async () => {
    const hangUp = await startLocalServer((req) => req.socket.destroy(), certs.server);
    try {
      const r = await get({ certPem: certs.client.cert, keyPem: certs.client.key }, hangUp.url);
      expect(r).toMatchObject({ ok: false, kind: "connection_reset" });
    } finally {
      await hangUp.close();
    }
  });

  it("keeps a separate connection pool per certificate, so a pooled connection never carries another's identity", async () => {
    const mine = await get({ certPem: certs.client.cert, keyPem: certs.client.key });
    const none = await get(undefined);
    const again = await get({ pfx: certs.pkcs12, passphrase: certs.pkcs12Passphrase });
    expect([mine.ok, none.ok, again.ok]).toEqual([true, false, true]);
  });

  it("a certificate that cannot be loaded fails in words that quote neither the passphrase nor the key, and is not retried", async () => {
    const r = await executeHttpRequest(
      { url: `${server.url}/whoami`, caCertificatePem: certs.caPem, maxRetries: 2, retryDelayMs: 1 },
      { allowedTargets, provider: presenting({ pfx: certs.pkcs12, passphrase: "not the passphrase" }) },
    );
    expect(r).toMatchObject({
      ok: false,
      kind: "credentials",
      message: "the connection's client certificate could not be loaded: the passphrase does not open its PKCS#12 bundle",
      attempts: 1,
    });
    if (!r.ok) {
      expect(r.message).not.toContain("not the passphrase");
      expect(r.message).not.toContain(certs.pkcs12.toString("base64").slice(0, 40));
    }
    const badKey = await get({ certPem: certs.client.cert, keyPem: certs.encryptedKey, passphrase: "wrong key passphrase" });
    // OpenSSL words it as a failed decryption, or (after other keys were loaded in the process) as no decoder
    // reading the key: both say what to check first.
    expect(badKey).toMatchObject({ ok: false, kind: "credentials" });
    if (!badKey.ok) {
      expect(badKey.message).toMatch(/^the connection's client certificate could not be loaded: the passphrase does not open its private key/);
      expect(badKey.message).not.toContain("wrong key passphrase");
    }
    const mismatch = await get({ certPem: certs.client.cert, keyPem: certs.stranger.key });
    expect(mismatch).toMatchObject({
      ok: false,
      kind: "credentials",
      message: "the connection's client certificate could not be loaded: the key does not match the certificate",
    });
    const legacy = await get({ pfx: certs.legacyPkcs12, passphrase: certs.pkcs12Passphrase });
    expect(legacy).toMatchObject({ ok: false, kind: "credentials" });
    if (!legacy.ok) expect(legacy.message).toContain("uses an algorithm OpenSSL 3 no longer loads");
  });
});

describe("mutual TLS against a server that refuses with TLS alerts (Python's ssl)", () => {
  let certs: ClientCertificateFixtures;
  let server: { url: string; stop: () => Promise<void> };
  const get = (c?: ClientCertificate) =>
    executeHttpRequest({ url: `${server.url}/whoami`, caCertificatePem: certs.caPem }, { allowedTargets, provider: presenting(c) });

  beforeAll(async () => {
    certs = generateClientCertificates();
    server = await startPythonMtlsServer(certs.server, certs.caPem);
  });
  afterAll(async () => {
    await server?.stop();
    await closeHttpAgents();
  });

  it("presents the certificate", async () => {
    const r = await get({ pfx: certs.pkcs12, passphrase: certs.pkcs12Passphrase });
    expect(r).toMatchObject({ ok: true, status: 200, output: { subject: { commonName: "plugboard-client", organizationName: "Plugboard Tests" } } });
  });

  it("reports the server's alert about a certificate from a CA it does not trust", async () => {
    const r = await get({ certPem: certs.stranger.cert, keyPem: certs.stranger.key });
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok) expect(r.message).toMatch(/: the server refused the connection's client certificate: it does not trust the CA that issued it$/);
  });

  it("reports the server's alert when no certificate is presented", async () => {
    const r = await get(undefined);
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok)
      expect(r.message).toMatch(/: the server requires a client certificate \(mutual TLS\) and none was presented; add one to the connection$/);
  });
});
