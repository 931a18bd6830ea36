import { describe, expect, it } from "vitest";
import { classifyError } from "./errors";

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
