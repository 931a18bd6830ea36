import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { OAuthError, oauthErrorAnswer } from "@/lib/oauth-server/errors";
import { toResponse } from "./answer";
import { readOAuthParams } from "@/lib/oauth-server/request-params";
import { BodyTooLargeError, inboundRequest, readBodyBytes, readBodyForm } from "./read-body";
import { postEndlessBody, serveWebHandler } from "./testing/serve-web-handler";

const CAP = 256 * 1024;
const CHUNK = 64 * 1024;

async function capped(request: Request): Promise<Response> {
  try {
    const bytes = await readBodyBytes(request, CAP);
    return new Response(String(bytes.byteLength));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return new Response(error.message, { status: 413 });
    throw error;
  }
}

describe("readBodyBytes over real HTTP", () => {
  let server: Awaited<ReturnType<typeof serveWebHandler>>;
  beforeAll(async () => (server = await serveWebHandler(capped)));
  afterAll(() => server.close());
  afterEach(() => server.resetCount());

  it("answers 413 to an endless chunked body having read at most the cap (plus one chunk)", async () => {
    const { status, sent } = await postEndlessBody(server.url);
    expect(status).toBe(413);
    expect(server.consumed()).toBeGreaterThan(0);
    expect(server.consumed()).toBeLessThanOrEqual(CAP + CHUNK);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses a declared Content-Length over the cap without reading a byte", async () => {
    const response = await fetch(server.url, { method: "POST", body: "x".repeat(CAP + 1) });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe("The body is larger than 256 KB.");
    expect(server.consumed()).toBe(0);
  });

  it("reads a body within the cap whole", async () => {
    const response = await fetch(server.url, { method: "POST", body: "x".repeat(CAP) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(String(CAP));
  });
});

describe("readBodyForm", () => {
  it("parses a multipart body from the capped bytes", async () => {
    const form = new FormData();
    form.set("grant_type", "client_credentials");
    const request = new Request("http://x/", { method: "POST", body: form });
    expect((await readBodyForm(request, CAP)).get("grant_type")).toBe("client_credentials");
  });
});

describe("OAuth endpoints' parameters", () => {
  let server: Awaited<ReturnType<typeof serveWebHandler>>;
  beforeAll(async () => {
    process.env.PLUGBOARD_DATA_DIR ??= "memory://";
    resetEnvCache();
    server = await serveWebHandler(async (request) => {
      try {
        return Response.json(Object.fromEntries(await readOAuthParams(inboundRequest(request))));
      } catch (error) {
        if (error instanceof OAuthError) return toResponse(oauthErrorAnswer(error));
        throw error;
      }
    });
  });
  afterAll(() => server.close());

  it("stop reading an anonymous endless form body at 64 KB and answer 413", async () => {
    const { status } = await postEndlessBody(server.url, { "content-type": "application/x-www-form-urlencoded" });
    expect(status).toBe(413);
    expect(server.consumed()).toBeLessThanOrEqual(64 * 1024 + CHUNK);
  });

  it("still read a normal form body", async () => {
    const response = await fetch(server.url, { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", scope: "a b" }) });
    expect(await response.json()).toEqual({ grant_type: "client_credentials", scope: "a b" });
  });
});
