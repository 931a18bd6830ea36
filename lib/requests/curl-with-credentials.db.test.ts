import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { ServiceError } from "@/lib/errors/service-error";
import { reloadInstanceProxy } from "@/lib/http/proxy/proxy-plan";
import { requestSpecSchema } from "@/lib/http/spec";
import { makeTeamContext } from "@/lib/testing/factories";
import { curlWithCredentials } from "./curl-with-credentials";

const PASSWORD = "pw-never-shown-1234";

async function setup(host: string) {
  const db = await getDb();
  const ctx = await makeTeamContext("member");
  const input = connectionInputSchema.parse({
    type: "basic",
    name: "Jira",
    username: "ada",
    password: PASSWORD,
    host,
    allowedDomains: "jira.internal",
  });
  const { id } = await createConnection(db, ctx, input);
  return { db, ctx, connectionId: id };
}

describe("Copy as cURL", () => {
  it("answers a relative URL with a connection that has no host with a field error, not a server error", async () => {
    const { db, ctx, connectionId } = await setup("");
    const attempt = curlWithCredentials(db, ctx, { connectionId, spec: requestSpecSchema.parse({ url: "/rest/api/2/myself" }) });
    await expect(attempt).rejects.toBeInstanceOf(ServiceError);
    await expect(attempt).rejects.toMatchObject({ code: "invalid", fieldErrors: { "spec.url": expect.stringContaining("has no Host") } });
  });

  it("joins a relative URL to the connection's host the way the executor does, credentials masked", async () => {
    const { db, ctx, connectionId } = await setup("jira.internal");
    const spec = requestSpecSchema.parse({ url: "rest/api/2/search", query: [{ key: "jql", value: "a b", enabled: true }] });
    const curl = await curlWithCredentials(db, ctx, { connectionId, spec });
    expect(curl).toContain("https://jira.internal/rest/api/2/search?jql=a%20b");
    expect(curl).toMatch(/authorization/i);
    expect(curl).not.toContain(PASSWORD);
    expect(curl).not.toContain(Buffer.from(`ada:${PASSWORD}`).toString("base64"));
  });

  it("says -x when the request goes through a proxy (request's, connection's, instance's minus NO_PROXY), its password masked", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const PROXY_PASSWORD = "proxy-pw-never-shown-987";
    const { id: proxied } = await createConnection(
      db,
      ctx,
      connectionInputSchema.parse({
        type: "api_key",
        name: "Behind proxy",
        apiKey: "key-123456",
        headerKey: "X-Api-Key",
        scheme: "None",
        proxyMode: "custom",
        proxyUrl: "http://proxy.corp.example:3128",
        proxyUsername: "ann",
        proxyPassword: PROXY_PASSWORD,
      }),
    );
    const spec = (extra: object = {}) => requestSpecSchema.parse({ url: "https://api.example.com/v1/me", ...extra });
    const viaConnection = await curlWithCredentials(db, ctx, { connectionId: proxied, spec: spec() });
    expect(viaConnection).toContain("-x http://proxy.corp.example:3128");
    expect(viaConnection).toContain("--proxy-user 'ann:••••••'");
    expect(viaConnection).not.toContain(PROXY_PASSWORD);
    // The request's own choice wins: no proxy, or its own URL.
    expect(await curlWithCredentials(db, ctx, { connectionId: proxied, spec: spec({ proxy: { mode: "none" } }) })).not.toContain("-x ");
    const own = await curlWithCredentials(db, ctx, { connectionId: null, spec: spec({ proxy: { mode: "custom", url: "http://other.proxy:8080" } }) });
    expect(own).toContain("-x http://other.proxy:8080");
    expect(own).not.toContain("--proxy-user");
    // The instance's proxy, minus NO_PROXY.
    reloadInstanceProxy({ HTTPS_PROXY: "http://bob:instance-pw@egress.internal:3128", NO_PROXY: "direct.example.com" });
    try {
      const instance = await curlWithCredentials(db, ctx, { connectionId: null, spec: spec() });
      expect(instance).toContain("-x http://egress.internal:3128");
      expect(instance).toContain("--proxy-user 'bob:••••••'");
      expect(instance).not.toContain("instance-pw");
      const direct = await curlWithCredentials(db, ctx, { connectionId: null, spec: spec({ url: "https://direct.example.com/x" }) });
      expect(direct).not.toContain("-x ");
    } finally {
      reloadInstanceProxy();
    }
    expect(await curlWithCredentials(db, ctx, { connectionId: null, spec: spec() })).not.toContain("-x ");
  });
});
