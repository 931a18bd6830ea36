import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { executeHttpRequest } from "@/lib/http";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { typeConnection } from "../testing/type-provider";
import { connectionInputSchema } from "../schemas";
import { apiKeyForm } from "./api-key/form";
import { apiKeyServer } from "./api-key/server";
import { onPremBaseUrl, onPremHostIssue } from "./on-prem";

const fieldErrors = (values: Record<string, unknown>) => {
  const r = connectionInputSchema.safeParse({ type: "api_key", name: "k", apiKey: "secret-key", ...values });
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("on-premises Host", () => {
  it("means https:// without a scheme, and takes http:// for a plain-http server", () => {
    expect(onPremBaseUrl("jira.internal", "")).toBe("https://jira.internal");
    expect(onPremBaseUrl("http://jira.internal", "8080")).toBe("http://jira.internal:8080");
    expect(onPremHostIssue("jira.internal")).toBeUndefined();
    expect(onPremHostIssue("HTTP://jira.internal")).toBeUndefined();
  });

  it("explains, naming the field, a port, a path or another scheme typed into Host", () => {
    expect(fieldErrors({ host: "jira.internal:8080" })).toEqual({ host: "Host: put the port in the Port field." });
    expect(fieldErrors({ host: "https://jira.internal/rest/api" })).toEqual({
      host: "Host: enter the server's name only, such as jira.internal; the path goes in the request URL.",
    });
    expect(fieldErrors({ host: "ftp://jira.internal" }).host).toBe(
      "Host: ftp:// is not supported; write https://jira.internal or http://… (no scheme means https://).",
    );
    expect(fieldErrors({ host: "jira internal" }).host).toMatch(/^Host: enter a server name such as jira\.internal, or http:\/\/jira\.internal/);
  });

  it("takes a relative Test URL only when Host is set", () => {
    expect(fieldErrors({ host: "jira.internal", testUrl: "/rest/api/2/myself" })).toEqual({});
    expect(fieldErrors({ testUrl: "/rest/api/2/myself" })).toEqual({
      testUrl: "A relative Test URL goes to the Host: set Host, or enter a full URL such as https://api.example.com/me.",
    });
    // Types without a Host never take one.
    const cc = connectionInputSchema.safeParse({
      type: "oauth2_client_credentials",
      name: "cc",
      tokenUrl: "https://login.example.com/token",
      clientId: "id",
      clientSecret: "s",
      testUrl: "/me",
    });
    expect(cc.success ? [] : cc.error.issues.map((i) => i.path.join("."))).toEqual(["testUrl"]);
    expect(fieldErrors({ testUrl: "//evil.example/me", host: "jira.internal" }).testUrl).toMatch(/^Enter an http:\/\/ or https:\/\/ URL/);
  });
});

describe("a plain-http server behind an https:// Host", () => {
  let plain: LocalServer;
  beforeAll(async () => {
    plain = await startLocalServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("plain"));
  });
  afterAll(async () => {
    await plain.close();
    await closeHttpAgents();
  });

  it("is reported in a sentence that says to use http://, not in OpenSSL's words", async () => {
    const { provider } = typeConnection(apiKeyForm, apiKeyServer, {
      type: "api_key",
      name: "on-prem",
      apiKey: "secret-key",
      host: "127.0.0.1",
      port: String(plain.port),
    });
    const r = await executeHttpRequest({ url: "/status" }, { provider, allowedTargets: parseAllowedHosts("127.0.0.1") });
    expect(r).toMatchObject({ ok: false, kind: "tls" });
    if (!r.ok) {
      expect(r.message).toBe(`the server at 127.0.0.1:${plain.port} did not answer TLS; is it plain http? Use http://127.0.0.1:${plain.port}`);
      expect(r.message).not.toMatch(/wrong version number|SSL routines/);
    }
    // With http:// in Host the same server answers.
    const http = typeConnection(apiKeyForm, apiKeyServer, {
      type: "api_key",
      name: "on-prem",
      apiKey: "secret-key",
      host: "http://127.0.0.1",
      port: String(plain.port),
    });
    const ok = await executeHttpRequest(
      { url: "/status", responseType: "text" },
      { provider: http.provider, allowedTargets: parseAllowedHosts("127.0.0.1") },
    );
    expect(ok.ok ? ok.status : ok.message).toBe(200);
  });
});
