import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { MASK } from "@/lib/http/mask";
import { requestSpecSchema } from "@/lib/http/spec";
import { startLocalServer, type LocalServer } from "@/lib/http/testing/local-server";
import { makeTeamContext } from "@/lib/testing/factories";
import { getRun, runRequest } from "./index";

// The URL a run ends on is shown and stored without the credentials a redirect's Location carried.

let server: LocalServer;

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1";
  resetEnvCache();
  server = await startLocalServer((req, res) => {
    if (req.url === "/start")
      return void res
        .writeHead(302, { location: `http://bob:redirect-pass-42@127.0.0.1:${server.port}/done?access_token=redirect-token-42&x=1` })
        .end();
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
});
afterAll(() => server.close());

describe("a run redirected to a URL with credentials", () => {
  it("stores and answers the final URL without them", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext("member");
    const view = await runRequest(db, ctx, { spec: requestSpecSchema.parse({ url: `${server.url}/start`, responseType: "text" }), connection: null });
    expect(view.ok).toBe(true);
    const expected = `${server.url}/done?access_token=${MASK}&x=1`;
    if (view.ok) expect(view.url).toBe(expected);
    const run = await getRun(db, ctx, view.runId);
    expect(run.url).toBe(expected);
    expect(JSON.stringify(run)).not.toMatch(/redirect-pass-42|redirect-token-42|bob/);
    expect(JSON.stringify(view)).not.toMatch(/redirect-pass-42|redirect-token-42|bob/);
  });
});
