import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { wrongMethodDescription } from "./client-auth-methods";
import { errorDescription } from "./errors";
import { tokenRequestCurl } from "./token-request-curl";

const base = {
  tokenEndpoint: "http://127.0.0.1:3000/oauth2/token",
  clientId: "pbc_abc-DEF_123",
  clientSecret: "pbs_s3cr-et_X",
  scopes: ["connections:read", "audit.log:read"],
  redirectUris: [],
};

/** What the shell makes of the command: its words, without running curl (printf echoes them one a line). */
function shellWords(command: string): string[] {
  const script = command.replace(/^curl /, "printf '%s\\n' ");
  return execFileSync("sh", ["-c", script], { encoding: "utf8" }).trimEnd().split("\n");
}

describe("tokenRequestCurl", () => {
  it("authenticates a client_secret_basic client with --user and sends the scopes form-encoded", () => {
    const command = tokenRequestCurl({ ...base, authMethod: "client_secret_basic", grantType: "client_credentials" });
    expect(shellWords(command)).toEqual([
      "--request",
      "POST",
      "--url",
      "http://127.0.0.1:3000/oauth2/token",
      "--user",
      "pbc_abc-DEF_123:pbs_s3cr-et_X",
      "--data",
      "grant_type=client_credentials",
      "--data-urlencode",
      "scope=connections:read audit.log:read",
    ]);
    expect(command).not.toContain("client_secret=");
  });

  it("sends a client_secret_post client's id and secret as form fields, never a Basic header", () => {
    const words = shellWords(tokenRequestCurl({ ...base, authMethod: "client_secret_post", grantType: "client_credentials" }));
    expect(words).toContain("client_id=pbc_abc-DEF_123");
    expect(words).toContain("client_secret=pbs_s3cr-et_X");
    expect(words).not.toContain("--user");
  });

  it("names the code and verifier an authorization-code client must fill in, with its registered redirect URI", () => {
    const words = shellWords(
      tokenRequestCurl({
        ...base,
        authMethod: "client_secret_basic",
        grantType: "authorization_code",
        redirectUris: ["https://app.example/cb?x=1&y=2"],
      }),
    );
    expect(words).toEqual(
      expect.arrayContaining(["grant_type=authorization_code", "code=AUTHORIZATION_CODE", "redirect_uri=https://app.example/cb?x=1&y=2"]),
    );
  });
});

describe("wrongMethodDescription", () => {
  it("names the registered method and the one used, within RFC 6749 §5.2's characters", () => {
    const text = wrongMethodDescription("client_secret_basic", "client_secret_post");
    expect(text).toMatch(/^This client is registered for client_secret_basic .*HTTP Basic.*; this request used client_secret_post/);
    expect(errorDescription(text)).toBe(text);
  });
});
