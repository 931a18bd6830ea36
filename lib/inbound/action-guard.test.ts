import { describe, expect, it } from "vitest";
import { refuseMalformedAction } from "./action-guard";

const LIMIT = 1024;
const action = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://x/team", {
    method: "POST",
    body,
    headers: { "next-action": "abc123", "content-type": "text/plain;charset=UTF-8", ...headers },
  });
const withLength = (body: string, headers: Record<string, string> = {}) =>
  action(body, { "content-length": String(Buffer.byteLength(body)), ...headers });

describe("refuseMalformedAction", () => {
  it("lets a JSON action body, a multipart one, and requests that are not actions through", async () => {
    expect(await refuseMalformedAction(withLength('[{"name":"x"}]'), LIMIT)).toBeNull();
    const form = new FormData();
    form.set("0", '["$K1"]');
    const multipart = new Response(form);
    const body = await multipart.text();
    expect(await refuseMalformedAction(withLength(body, { "content-type": multipart.headers.get("content-type")! }), LIMIT)).toBeNull();
    expect(await refuseMalformedAction(new Request("http://x/", { method: "POST", body: "not json" }), LIMIT)).toBeNull();
  });

  it("answers 400 to a body that is not JSON, or a broken multipart form", async () => {
    expect((await refuseMalformedAction(withLength("not json"), LIMIT))?.status).toBe(400);
    expect((await refuseMalformedAction(withLength("--b\r\nnope", { "content-type": "multipart/form-data; boundary=b" }), LIMIT))?.status).toBe(400);
  });

  it("answers 413 over the limit and 411 without a declared length", async () => {
    expect((await refuseMalformedAction(withLength(`"${"a".repeat(LIMIT)}"`), LIMIT))?.status).toBe(413);
    expect((await refuseMalformedAction(action("[]"), LIMIT))?.status).toBe(411);
  });
});
