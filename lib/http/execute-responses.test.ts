import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { echo, fail, loopbackAllowed as allowedTargets, send } from "./testing/executor-helpers";
import { httpbinUrl } from "./testing/local-server";

let bin: string;
let downloads: string;

beforeAll(async () => {
  bin = httpbinUrl();
  downloads = await mkdtemp(path.join(tmpdir(), "plugboard-http-test-"));
});
afterAll(async () => {
  await rm(downloads, { recursive: true, force: true });
  await closeHttpAgents();
});

describe("redirects", () => {
  it("follows GET redirects and reports the chain", async () => {
    const r = await send({ url: `${bin}/redirect/3` });
    expect(r.status).toBe(200);
    expect(r.url).toBe(`${bin}/get`);
    expect(r.redirects.map((h) => h.status)).toEqual([302, 302, 302]);
    expect(r.redirects[0]).toEqual({ url: `${bin}/redirect/3`, status: 302, location: `${bin}/relative-redirect/2` });
  });

  it("stops at maxRedirects with a clear error", async () => {
    const r = await fail({ url: `${bin}/redirect/4`, maxRedirects: 2 });
    expect(r).toMatchObject({ kind: "too_many_redirects", message: "too many redirects: stopped after 2 (the limit set for this request)" });
    expect(r.redirects).toHaveLength(2);
  });

  it("returns the 3xx itself when following is off", async () => {
    const r = await send({ url: `${bin}/redirect/1`, followRedirect: false, responseType: "text" });
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe("/get");
    expect(r.redirects).toEqual([]);
  });

  it("does not follow a POST redirect with followRedirect alone", async () => {
    const url = `${bin}/redirect-to?url=${encodeURIComponent("/post")}&status_code=307`;
    const r = await send({ method: "POST", url, body: { type: "raw", contentType: "json", text: '{"keep":true}' }, responseType: "text" });
    expect(r.status).toBe(307);
  });

  it("follows a 307 POST with followAllRedirects, keeping method and body", async () => {
    const url = `${bin}/redirect-to?url=${encodeURIComponent("/post")}&status_code=307`;
    const r = await send({ method: "POST", url, followAllRedirects: true, body: { type: "raw", contentType: "json", text: '{"keep":true}' } });
    expect(r.status).toBe(200);
    expect(echo(r).json).toEqual({ keep: true });
    expect(r.redirects).toHaveLength(1);
  });

  it("turns a POST into a body-less GET on 302, as browsers do", async () => {
    const url = `${bin}/redirect-to?url=${encodeURIComponent("/anything/after")}&status_code=302`;
    const r = await send({ method: "POST", url, followAllRedirects: true, body: { type: "raw", contentType: "json", text: '{"x":1}' } });
    expect(echo(r)).toMatchObject({ method: "GET", data: "" });
    expect(echo(r).headers["Content-Type"]).toBeUndefined();
  });
});

describe("failures in words", () => {
  it("times out a slow response", async () => {
    const r = await fail({ url: `${bin}/delay/3`, timeoutSeconds: 1 });
    expect(r).toMatchObject({ kind: "timeout", message: "timed out after 1 s (the whole request, including the body)", attempts: 1 });
  });

  it("times out a body that is still arriving", async () => {
    // Headers at once, then 10 bytes over 3 s: the whole-request timeout covers the body too.
    const r = await fail({ url: `${bin}/drip?duration=3&numbytes=10&delay=0`, responseType: "text", timeoutSeconds: 1 });
    expect(r).toMatchObject({ kind: "timeout", message: "timed out after 1 s (the whole request, including the body)", attempts: 1 });
  });

  it("cancels a body that is still arriving on the caller's signal", async () => {
    const controller = new AbortController();
    const pending = executeHttpRequest(
      { url: `${bin}/drip?duration=3&numbytes=10&delay=0`, responseType: "text" },
      { allowedTargets, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 300);
    expect(await pending).toMatchObject({ ok: false, kind: "aborted", message: "the request was cancelled" });
  });

  it("says so when a body claimed to be compressed is not", async () => {
    const r = await fail({ url: `${bin}/response-headers?Content-Encoding=gzip` });
    expect(r.kind).toBe("network");
    expect(r.message).toMatch(/^the response claimed gzip compression but could not be decompressed: /);
  });

  it("cancels on the caller's signal", async () => {
    const controller = new AbortController();
    const pending = executeHttpRequest({ url: `${bin}/delay/3` }, { allowedTargets, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ ok: false, kind: "aborted", message: "the request was cancelled" });
  });

  it("fails JSON that is not JSON, keeping a preview of what came", async () => {
    const r = await fail({ url: `${bin}/html` });
    expect(r.kind).toBe("invalid_json");
    expect(r.message).toMatch(/^the response is not valid JSON \(.+\); choose the text response type/);
    expect(r.response).toMatchObject({ status: 200 });
    expect(r.response?.bodyPreview).toMatch(/^<!DOCTYPE html>/);
  });

  it("names DNS failures", async () => {
    const resolveHost = async (name: string) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: "ENOTFOUND" });
    };
    const r = await fail({ url: "http://no-such-host.plugboard.test/" }, { resolveHost });
    expect(r).toMatchObject({ kind: "dns", message: "DNS lookup failed: no-such-host.plugboard.test was not found" });
  });

  it("reports a validation problem per field", async () => {
    const r = await fail({ url: `${bin}/get`, timeoutSeconds: 0, method: "FETCH" as "GET" });
    expect(r.kind).toBe("invalid_request");
    expect(r.message).toContain("method: Choose GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS");
    expect(r.message).toContain("timeoutSeconds: The timeout must be at least 1 second");
  });

  it("needs a base URL for a relative URL", async () => {
    expect(await fail({ url: "/users" })).toMatchObject({ kind: "invalid_request", message: expect.stringContaining('"/users" is a relative URL') });
  });
});

describe("response types and size limits", () => {
  it("returns text and binary as asked", async () => {
    const text = await send({ url: `${bin}/robots.txt`, responseType: "text" });
    expect(text.body).toEqual({ type: "text", value: expect.stringContaining("User-agent: *") });
    const bytes = await send({ url: `${bin}/bytes/1000?seed=7`, responseType: "binary" });
    expect(bytes.body.type).toBe("binary");
    expect(bytes.size).toBe(1000);
  });

  it("fails a JSON body beyond the limit without reading it all", async () => {
    const r = await fail({ url: `${bin}/bytes/60000` }, { maxBodyBytes: 10_000 });
    expect(r).toMatchObject({ kind: "body_too_large", response: { status: 200 } });
    expect(r.message).toBe("body too large: the response is larger than 9.8 KB; choose the binary response type to download it to a file");
  });

  it("streams a binary body beyond the limit to a file", async () => {
    const small = await send({ url: `${bin}/bytes/60000?seed=42`, responseType: "binary" });
    const big = await send(
      { url: `${bin}/stream-bytes/60000?seed=42&chunk_size=4096`, responseType: "binary" },
      { maxBodyBytes: 10_000, downloadDir: downloads },
    );
    expect(big.body.type).toBe("file");
    if (big.body.type !== "file" || small.body.type !== "binary") throw new Error("unexpected body types");
    expect(big.body.size).toBe(60000);
    expect(path.dirname(big.body.path)).toBe(downloads);
    expect((await readFile(big.body.path)).equals(small.body.value)).toBe(true);
  });

  it("fails a large binary body when no download folder is configured", async () => {
    const r = await fail({ url: `${bin}/bytes/60000`, responseType: "binary" }, { maxBodyBytes: 10_000 });
    expect(r.message).toBe("body too large: the response is larger than 9.8 KB; no download folder is configured for larger binary bodies");
  });
});

describe("output and debug", () => {
  it("passes on the body, or the full response with includeFullResponse", async () => {
    const plain = await send({ url: `${bin}/get?a=1` });
    expect(plain.output).toMatchObject({ args: { a: "1" } });
    const full = await send({ url: `${bin}/get?a=1`, includeFullResponse: true });
    expect(full.output).toMatchObject({ status: 200, statusText: "OK", headers: { "content-type": "application/json" }, body: { args: { a: "1" } } });
  });

  it("shows the requests that went out only with debug", async () => {
    const quiet = await send({ url: `${bin}/redirect/1` });
    expect(quiet.requests).toBeUndefined();
    const r = await send({
      method: "POST",
      url: `${bin}/redirect-to?url=%2Fget&status_code=303`,
      followAllRedirects: true,
      debug: true,
      body: { type: "raw", contentType: "text", text: "hi" },
    });
    expect(r.requests).toHaveLength(2);
    expect(r.requests?.[0]).toMatchObject({
      method: "POST",
      bodySize: 2,
      bodyPreview: "hi",
      headers: { host: new URL(bin).host, "content-type": "text/plain; charset=utf-8", "content-length": "2", "user-agent": "Plugboard" },
    });
    expect(r.requests?.[1]).toMatchObject({ method: "GET", url: `${bin}/get`, bodySize: 0 });
  });
});
