import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { ServiceError } from "@/lib/errors/service-error";
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
});
