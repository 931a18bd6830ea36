import { describe, expect, it } from "vitest";
import { classifyError, PROXY_CONNECTION } from "./errors";

const target = { host: "api.example.com", port: "443" };

/** Errors as Node raises them when OpenSSL fails, with the code and message it gives. */
function opensslError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("classifyError: the connection's own client certificate", () => {
  it("names a wrong passphrase whether OpenSSL reports the failed decryption or no decoder reading the key", () => {
    const decrypt = classifyError(opensslError("ERR_OSSL_BAD_DECRYPT", "error:1C800064:Provider routines::bad decrypt"), target);
    expect(decrypt).toMatchObject({
      kind: "credentials",
      message: "the connection's client certificate could not be loaded: the passphrase does not open its private key",
    });
    const decoder = classifyError(opensslError("ERR_OSSL_UNSUPPORTED", "error:1E08010C:DECODER routines::unsupported"), target);
    expect(decoder.kind).toBe("credentials");
    expect(decoder.message).toBe(
      "the connection's client certificate could not be loaded: the passphrase does not open its private key, or OpenSSL cannot read the key's format",
    );
    expect(decoder.message).not.toContain("DECODER");
  });
});

describe("classifyError: the connection to a proxy", () => {
  const toProxy = (err: Error) => Object.assign(err, { [PROXY_CONNECTION]: { host: "proxy.corp.test", port: "3129" } });

  it("names the proxy, not the target, for the proxy's certificate, with the hint that fits a proxy", () => {
    const selfSigned = classifyError(toProxy(opensslError("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate")), target);
    expect(selfSigned.kind).toBe("proxy");
    expect(selfSigned.message).toMatch(
      /^TLS error with the proxy proxy\.corp\.test:3129: the proxy's certificate is self-signed; trust the proxy's CA/,
    );
    expect(selfSigned.message).not.toContain("api.example.com");
    expect(selfSigned.message).not.toContain("turn on 'ignore SSL errors'");
    // undici wraps a proxy's altname error; the tag is found down the cause chain.
    const wrapped = Object.assign(new Error("Secure Proxy Connection failed"), {
      code: "UND_ERR_PRX_TLS",
      cause: toProxy(
        Object.assign(opensslError("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match"), {
          reason: "Host: x. is not in the cert's altnames",
        }),
      ),
    });
    expect(classifyError(wrapped, target)).toMatchObject({
      kind: "proxy",
      message: expect.stringContaining("the proxy proxy.corp.test:3129: hostname mismatch"),
    });
  });

  it("keeps the kind of a refused or timed-out proxy connection (retried alike) and names the proxy", () => {
    expect(classifyError(toProxy(opensslError("ECONNREFUSED", "connect ECONNREFUSED")), target)).toMatchObject({
      kind: "connection_refused",
      message: "connection refused by the proxy proxy.corp.test:3129 (nothing is listening there)",
    });
    expect(classifyError(opensslError("ECONNREFUSED", "connect ECONNREFUSED"), target).message).toBe(
      "connection refused by api.example.com:443 (nothing is listening there)",
    );
  });
});
