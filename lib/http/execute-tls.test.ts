import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { generateTestCertificates, type TestCertificates } from "./testing/certificates";
import { startLocalServer, type LocalServer } from "./testing/local-server";

const allowedTargets = parseAllowedHosts("127.0.0.1");

describe("TLS", () => {
  let certs: TestCertificates;
  let selfSigned: LocalServer;
  let signed: LocalServer;
  let wrongHost: LocalServer;

  beforeAll(async () => {
    expect(execFileSync("openssl", ["version"]).toString()).toMatch(/OpenSSL/);
    certs = generateTestCertificates();
    const hello = (_: unknown, res: import("node:http").ServerResponse) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"secure":true}');
    selfSigned = await startLocalServer(hello, certs.selfSigned);
    signed = await startLocalServer(hello, certs.signed);
    wrongHost = await startLocalServer(hello, certs.wrongHost);
  });
  afterAll(async () => {
    await Promise.all([selfSigned.close(), signed.close(), wrongHost.close()]);
    await closeHttpAgents();
  });

  it("refuses a self-signed certificate by default, saying so", async () => {
    const r = await executeHttpRequest({ url: `${selfSigned.url}/` }, { allowedTargets });
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok)
      expect(r.message).toBe(
        `TLS error with 127.0.0.1:${selfSigned.port}: the server's certificate is self-signed; trust its CA with a CA certificate, or turn on 'ignore SSL errors'`,
      );
  });

  it("accepts the self-signed certificate when it is given as the CA", async () => {
    const r = await executeHttpRequest({ url: `${selfSigned.url}/`, caCertificatePem: certs.selfSigned.cert }, { allowedTargets });
    expect(r).toMatchObject({ ok: true, status: 200, output: { secure: true } });
  });

  it("accepts anything with ignoreSslErrors or rejectUnauthorized off", async () => {
    expect(await executeHttpRequest({ url: `${selfSigned.url}/`, ignoreSslErrors: true }, { allowedTargets })).toMatchObject({
      ok: true,
      status: 200,
    });
    expect(await executeHttpRequest({ url: `${wrongHost.url}/`, rejectUnauthorized: false }, { allowedTargets })).toMatchObject({
      ok: true,
      status: 200,
    });
  });

  it("cannot verify a certificate from an unknown CA, until the CA is trusted", async () => {
    const refused = await executeHttpRequest({ url: `${signed.url}/` }, { allowedTargets });
    expect(refused).toMatchObject({ ok: false, kind: "tls" });
    if (!refused.ok) expect(refused.message).toContain("unable to verify the server's certificate");
    const trusted = await executeHttpRequest({ url: `${signed.url}/`, caCertificatePem: certs.caPem }, { allowedTargets });
    expect(trusted).toMatchObject({ ok: true, status: 200 });
  });

  it("reports a hostname mismatch", async () => {
    const r = await executeHttpRequest({ url: `${wrongHost.url}/`, caCertificatePem: certs.caPem }, { allowedTargets });
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok)
      expect(r.message).toContain("hostname mismatch: the server's certificate is not valid for this host (IP: 127.0.0.1 is not in the cert's list");
  });

  it("checks the certificate against the host name while connecting to the pinned address", async () => {
    const resolveHost = async () => [{ address: "127.0.0.1", family: 4 }];
    const port = wrongHost.port;
    const mismatch = await executeHttpRequest(
      { url: `https://api.plugboard.test:${port}/`, caCertificatePem: certs.caPem },
      { allowedTargets, resolveHost },
    );
    expect(mismatch).toMatchObject({ ok: false, kind: "tls" });
    if (!mismatch.ok) expect(mismatch.message).toContain("Host: api.plugboard.test. is not in the cert's altnames: DNS:other.plugboard.test");
    const match = await executeHttpRequest(
      { url: `https://other.plugboard.test:${port}/`, caCertificatePem: certs.caPem },
      { allowedTargets, resolveHost },
    );
    expect(match).toMatchObject({ ok: true, status: 200, output: { secure: true } });
  });

  it("does not retry certificate problems by default", async () => {
    const r = await executeHttpRequest({ url: `${selfSigned.url}/`, maxRetries: 2, retryDelayMs: 1 }, { allowedTargets });
    expect(r).toMatchObject({ ok: false, kind: "tls", attempts: 1 });
  });
});
