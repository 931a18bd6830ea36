import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as webhook } from "@/app/hooks/flows/[id]/route";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { createWebhookToken } from "@/lib/flows";
import { isolateQueue, makeFlow, step } from "@/lib/flows/testing/helpers";
import { stopQueue } from "@/lib/jobs";
import { makeTeamContext } from "@/lib/testing/factories";
import { postEndlessBody, serveWebHandler } from "./testing/serve-web-handler";

// The webhook route over real HTTP with a 256 KB cap: an anonymous caller never gets its body read,
// and a caller with the token gets it read only up to the cap.
const CAP = 256 * 1024;
let server: Awaited<ReturnType<typeof serveWebHandler>>;
let flowId = "";
let token = "";

beforeAll(async () => {
  process.env.PLUGBOARD_MAX_BODY_BYTES = String(CAP);
  resetEnvCache();
  isolateQueue("webhook_body");
  const db = await getDb();
  const ctx = await makeTeamContext();
  ({ id: flowId } = await makeFlow(db, ctx, { steps: [step("x", { url: "https://example.com/" })] }));
  ({ token } = await createWebhookToken(db, ctx, flowId));
  server = await serveWebHandler((request) => webhook(request, { params: Promise.resolve({ id: new URL(request.url).pathname.split("/").pop()! }) }));
});
afterAll(async () => {
  await server.close();
  await stopQueue();
  delete process.env.PLUGBOARD_MAX_BODY_BYTES;
  resetEnvCache();
});

describe("the webhook route's body", () => {
  it("is not read at all for a caller without the token: 401", async () => {
    server.resetCount();
    const { status } = await postEndlessBody(`${server.url}/hooks/flows/${flowId}`, { authorization: "Bearer wrong" }, 8 * 1024 * 1024);
    expect(status).toBe(401);
    expect(server.consumed()).toBe(0);
  });

  it("is read only up to the cap for a caller with the token: 413", async () => {
    server.resetCount();
    const { status } = await postEndlessBody(`${server.url}/hooks/flows/${flowId}`, { authorization: `Bearer ${token}` });
    expect(status).toBe(413);
    expect(server.consumed()).toBeLessThanOrEqual(CAP + 64 * 1024);
  });

  it("answers 400 naming where a JSON body holds a NUL", async () => {
    const response = await fetch(`${server.url}/hooks/flows/${flowId}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: '{"order": {"id": "A\\u0000"}}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "The body holds a NUL character (\\u0000) at order.id; remove it." });
  });
});
