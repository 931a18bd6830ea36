import { describe, expect, it } from "vitest";
import { oauth1Form } from "./form";

const valid = {
  ...oauth1Form.defaults,
  name: "Photos API",
  consumerKey: "dpf43f3p2l4k3l03",
  consumerSecret: "kd94hf93k423kf44",
  token: "nnch734d00sl2jdk",
  oauthTokenSecret: "pfkkdhi9sl3r4s00",
};

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

function issues(input: Record<string, unknown>): Record<string, string> {
  const r = oauth1Form.schema.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("OAuth 1.0a form schema", () => {
  it("accepts HMAC-SHA1 with consumer and token pairs, defaults filled in", () => {
    expect(oauth1Form.schema.parse(valid)).toMatchObject({ signatureMethod: "HMAC-SHA1", placement: "header", realm: "" });
  });

  it("needs the consumer secret except for RSA-SHA1, which needs a PEM private key instead", () => {
    expect(issues({ ...valid, consumerSecret: "" })).toEqual({ consumerSecret: "Enter the consumer secret." });
    expect(issues({ ...valid, signatureMethod: "RSA-SHA1", consumerSecret: "", oauthTokenSecret: "" })).toEqual({
      privateKeyPem: expect.stringContaining("Paste the RSA private key in PEM form"),
    });
    expect(issues({ ...valid, signatureMethod: "RSA-SHA1", consumerSecret: "", oauthTokenSecret: "", privateKeyPem: PEM })).toEqual({});
    const encrypted = PEM.replaceAll("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
    expect(issues({ ...valid, signatureMethod: "RSA-SHA1", privateKeyPem: encrypted })).toHaveProperty("privateKeyPem");
  });

  it("pairs the token with its secret, and allows neither (two-legged)", () => {
    expect(issues({ ...valid, oauthTokenSecret: "" })).toEqual({ oauthTokenSecret: "Enter the token secret that came with the token." });
    expect(issues({ ...valid, token: "" })).toEqual({ token: "Enter the token this secret belongs to." });
    expect(issues({ ...valid, token: "", oauthTokenSecret: "" })).toEqual({});
  });

  it("refuses a realm that would break out of its quotes, and secrets with line breaks", () => {
    expect(issues({ ...valid, realm: 'a", oauth_token="x' })).toEqual({ realm: "The realm cannot contain quotes or backslashes." });
    expect(issues({ ...valid, consumerSecret: "a\r\nb" })).toHaveProperty("consumerSecret");
  });

  it("names an unknown signature method or placement", () => {
    expect(issues({ ...valid, signatureMethod: "RSA-SHA256" })).toEqual({ signatureMethod: "Choose HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT." });
    expect(issues({ ...valid, placement: "cookie" })).toEqual({ placement: "Choose header, query or body." });
  });
});
