import { describe, expect, it } from "vitest";
import { allowedHostsFor, splitInput } from "./config";
import { connectionInputSchema } from "./schemas";
import { onPremBaseUrl } from "./types/on-prem";
import { authorizationCodeSettings } from "./types/oauth2-code/server";

describe("connection input", () => {
  it("keeps secrets out of the stored config", () => {
    const input = connectionInputSchema.parse({
      type: "oauth2_code",
      name: "x",
      authorizeUrl: "https://a.example/auth",
      tokenUrl: "https://a.example/token",
      clientId: "id",
      clientSecret: "s3cret",
    });
    const { config, secrets } = splitInput(input);
    expect(secrets).toEqual({ clientSecret: "s3cret" });
    expect(JSON.stringify(config)).not.toContain("s3cret");
    expect(config.type === "oauth2_code" && authorizationCodeSettings(config, secrets)).toMatchObject({
      clientSecret: "s3cret",
      usePkce: true,
      scopeSeparator: " ",
    });
  });

  it("defaults the allowed domains to the hosts of the form's URLs, and takes typed ones as given", () => {
    const cc = connectionInputSchema.parse({
      type: "oauth2_client_credentials",
      name: "cc",
      tokenUrl: "https://login.example.com/token",
      testUrl: "https://api.example.com:8443/me",
      clientId: "id",
      clientSecret: "s",
    });
    expect(allowedHostsFor(cc)).toEqual(["api.example.com:8443", "login.example.com"]);
    const typed = connectionInputSchema.parse({
      type: "basic",
      name: "b",
      username: "u",
      password: "p",
      allowedDomains: "*.Example.com, api.other.test:8080",
    });
    expect(allowedHostsFor(typed)).toEqual(["*.example.com", "api.other.test:8080"]);
    const onPrem = connectionInputSchema.parse({ type: "api_key", name: "k", apiKey: "k", host: "jira.internal", port: "8443" });
    expect(allowedHostsFor(onPrem)).toEqual(["jira.internal:8443"]);
    expect(onPremBaseUrl("http://legacy.internal", "")).toBe("http://legacy.internal");
  });

  it("rejects malformed key/value lines, header names, domains and status codes with field messages", () => {
    const bad = connectionInputSchema.safeParse({
      type: "oauth2_client_credentials",
      name: "cc",
      tokenUrl: "https://login.example.com/token",
      clientId: "id",
      clientSecret: "s",
      tokenParams: [{ name: "", value: "no name" }],
      tokenHeaders: [{ name: "Bad Header", value: "x" }],
      allowedDomains: "https://api.example.com/path",
      expiredStatuses: "200",
    });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["tokenParams.0.name", "tokenHeaders.0.name", "allowedDomains", "expiredStatuses"]));
  });
});
