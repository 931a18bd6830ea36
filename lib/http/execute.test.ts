import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeHttpAgents } from "./dispatcher";
import { requestSpecSchema } from "./spec";
import { echo, fail, type HttpbinEcho, send } from "./testing/executor-helpers";
import { httpbinUrl } from "./testing/local-server";

let bin: string;

beforeAll(() => {
  bin = httpbinUrl();
});
afterAll(() => closeHttpAgents());

describe("methods", () => {
  it.each(["GET", "POST", "PUT", "PATCH", "DELETE"] as const)("sends %s", async (method) => {
    const r = await send({ method, url: `${bin}/anything/m` });
    expect(r.status).toBe(200);
    expect(echo(r).method).toBe(method);
  });

  it("sends HEAD and gets no body", async () => {
    const r = await send({ method: "HEAD", url: `${bin}/get` });
    expect(r).toMatchObject({ status: 200, size: 0, body: { type: "json", value: null } });
    expect(r.headers["content-type"]).toBe("application/json");
  });

  it("sends OPTIONS and reads the allowed methods", async () => {
    const r = await send({ method: "OPTIONS", url: `${bin}/get`, responseType: "text" });
    expect(r.status).toBe(200);
    expect(String(r.headers.allow)).toContain("GET");
  });
});

describe("headers and query", () => {
  it("sends enabled rows only, keeps the URL's own query and adds defaults", async () => {
    const r = await send({
      url: `${bin}/get?keep=1%2C2`,
      query: [
        { key: "q", value: "a b&c" },
        { key: "off", value: "x", enabled: false },
        { key: "", value: "" },
      ],
      headers: [
        { key: "X-Custom", value: "yes" },
        { key: "X-Off", value: "no", enabled: false },
      ],
    });
    expect(echo(r).args).toEqual({ keep: "1,2", q: "a b&c" });
    expect(r.url).toBe(`${bin}/get?keep=1%2C2&q=a%20b%26c`);
    expect(echo(r).headers["X-Custom"]).toBe("yes");
    expect(echo(r).headers["X-Off"]).toBeUndefined();
    expect(echo(r).headers["User-Agent"]).toBe("Plugboard");
    expect(echo(r).headers.Accept).toBeUndefined();
    expect(echo(r).headers["Accept-Encoding"]).toBeUndefined();
  });

  it("sends an Accept header only when the user adds one, whatever the response type", async () => {
    const asJson = await send({ url: `${bin}/headers`, responseType: "json" });
    expect(echo(asJson).headers.Accept).toBeUndefined();
    const asText = await send({ url: `${bin}/headers`, responseType: "text" });
    expect((JSON.parse(String(asText.output)) as HttpbinEcho).headers.Accept).toBeUndefined();
    const own = await send({ url: `${bin}/headers`, headers: [{ key: "Accept", value: "application/vnd.api+json" }] });
    expect(echo(own).headers.Accept).toBe("application/vnd.api+json");
  });

  it("waits no time between retries by default (retry delay 0 ms)", () => {
    expect(requestSpecSchema.parse({ url: "https://example.com/" }).retryDelayMs).toBe(0);
  });

  it("returns response headers, status text and timings", async () => {
    const r = await send({ url: `${bin}/response-headers?X-Answer=42` });
    expect(r.headers["x-answer"]).toBe("42");
    expect(r.statusText).toBe("OK");
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.ttfbMs ?? Infinity);
  });

  it("answers 4xx and 5xx as responses, not failures", async () => {
    const r = await send({ url: `${bin}/status/418`, responseType: "text" });
    expect(r).toMatchObject({ ok: true, status: 418, attempts: 1 });
  });
});

describe("bodies", () => {
  it("sends raw JSON", async () => {
    const r = await send({ method: "POST", url: `${bin}/post`, body: { type: "raw", contentType: "json", text: '{"a":[1,2]}' } });
    expect(echo(r).json).toEqual({ a: [1, 2] });
    expect(echo(r).headers["Content-Type"]).toBe("application/json");
  });

  it("sends raw text and a custom content type", async () => {
    const text = await send({ method: "POST", url: `${bin}/post`, body: { type: "raw", contentType: "text", text: "héllo" } });
    expect(echo(text).data).toBe("héllo");
    expect(echo(text).headers["Content-Type"]).toBe("text/plain; charset=utf-8");
    const custom = await send({
      method: "PUT",
      url: `${bin}/put`,
      body: { type: "raw", contentType: "custom", customContentType: "application/vnd.api+json", text: "{}" },
    });
    expect(echo(custom).headers["Content-Type"]).toBe("application/vnd.api+json");
  });

  it("lets a Content-Type header row win over the body type", async () => {
    const r = await send({
      method: "POST",
      url: `${bin}/post`,
      headers: [{ key: "Content-Type", value: "application/xml; charset=utf-8" }],
      body: { type: "raw", contentType: "xml", text: "<a/>" },
    });
    expect(echo(r).headers["Content-Type"]).toBe("application/xml; charset=utf-8");
    expect(echo(r).data).toBe("<a/>");
  });

  it("sends url-encoded fields", async () => {
    const r = await send({
      method: "POST",
      url: `${bin}/post`,
      body: {
        type: "urlencoded",
        fields: [
          { key: "name", value: "Ada Lovelace" },
          { key: "x", value: "1&2=3" },
          { key: "skip", value: "1", enabled: false },
        ],
      },
    });
    expect(echo(r).form).toEqual({ name: "Ada Lovelace", x: "1&2=3" });
  });

  it("uploads multipart text and file fields that come back byte for byte", async () => {
    const binary = randomBytes(4096);
    const r = await send({
      method: "POST",
      url: `${bin}/post`,
      body: {
        type: "multipart",
        fields: [
          { type: "text", name: "title", value: "Quarterly report" },
          { type: "file", name: "upload", fileName: "data.bin", contentType: "application/octet-stream", buffer: binary },
          { type: "file", name: "notes", fileName: "notes.txt", contentType: "text/plain", base64: Buffer.from("line 1\nline 2").toString("base64") },
        ],
      },
    });
    expect(echo(r).form).toEqual({ title: "Quarterly report" });
    expect(echo(r).headers["Content-Type"]).toMatch(/^multipart\/form-data; boundary=/);
    const uploaded = echo(r).files.upload;
    // httpbin returns non-UTF-8 uploads as a data: URL of their bytes.
    expect(Buffer.from(uploaded.replace(/^data:application\/octet-stream;base64,/, ""), "base64").equals(binary)).toBe(true);
    expect(echo(r).files.notes).toBe("line 1\nline 2");
  });

  it("refuses a multipart file field without content", async () => {
    const r = await fail({
      method: "POST",
      url: `${bin}/post`,
      body: { type: "multipart", fields: [{ type: "file", name: "f", fileName: "a.png", path: "/home/me/a.png" }] },
    });
    expect(r).toMatchObject({
      kind: "invalid_request",
      message: 'the file field "f" has no content (it was imported as @/home/me/a.png); attach the file',
    });
  });
});

describe("compression", () => {
  it.each(["gzip", "deflate", "brotli"])("asks for compression and decodes %s", async (kind) => {
    const r = await send({ url: `${bin}/${kind}`, requestCompressed: true });
    const body = r.output as Record<string, unknown>;
    expect(body[kind === "brotli" ? "brotli" : kind === "gzip" ? "gzipped" : "deflated"]).toBe(true);
    expect((body.headers as Record<string, string>)["Accept-Encoding"]).toBe("gzip, deflate, br");
    expect(r.headers["content-encoding"]).toBe(kind === "brotli" ? "br" : kind);
    const asText = await send({ url: `${bin}/${kind}`, requestCompressed: true, responseType: "text" });
    if (asText.body.type !== "text") throw new Error("expected text");
    expect(asText.size).toBe(Buffer.byteLength(asText.body.value));
    expect(JSON.parse(asText.body.value)).toHaveProperty("method", "GET");
  });
});
