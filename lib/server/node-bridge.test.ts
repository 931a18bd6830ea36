import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, jsonAnswer } from "@/lib/inbound/answer";
import { BodyTooLargeError, readBodyText } from "@/lib/inbound/read-body";
import { type InboundHandler, serveInbound } from "./node-bridge";

const LIMIT = 1024;
const handlers: Record<string, InboundHandler> = {
  async "/echo"(request) {
    try {
      const body = await readBodyText(request, LIMIT);
      // Read once: a second read is the same body, not an empty one.
      const again = await readBodyText(request, LIMIT);
      const forwarded = Object.fromEntries([...request.headers].filter(([name]) => name.startsWith("x-forwarded-")));
      const type = request.headers.get("content-type");
      return jsonAnswer({ url: request.url, body, again, type, forwarded }, { headers: { "x-handler": "yes" } });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return jsonAnswer({ error: error.message }, { status: 413 });
      throw error;
    }
  },
  async "/refuses"() {
    return jsonAnswer({ error: "unauthorized" }, { status: 401 });
  },
  async "/cookies"() {
    return { status: 200, headers: { "set-cookie": ["a=1; Path=/", "b=2; Path=/"] }, body: "ok" };
  },
  async "/text"() {
    return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: "one, two, three: ünïcödé" };
  },
  async "/throws"() {
    throw new Error("a bug with a secret s3cr3t in its message");
  },
  async "/bad-header"() {
    // A header value Node's ServerResponse refuses.
    return { status: 200, headers: { "x-bad": "a\u0100b" }, body: "x" } satisfies Answer;
  },
  async "/asks-late"(request) {
    // Asks for the signal only after the client has gone: it is made aborted.
    await new Promise((resolve) => setTimeout(resolve, 300));
    lateSignal = request.signal.aborted;
    return { status: 200, headers: {}, body: "too late" };
  },
  async "/waits"(request) {
    await new Promise<void>((resolve) => request.signal.addEventListener("abort", () => resolve()));
    aborted = true;
    return { status: 200, headers: {}, body: "too late" };
  },
};
let aborted = false;
let lateSignal: boolean | undefined;

let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    void serveInbound(handlers[(req.url ?? "").split("?")[0]], req, res, { hostname: "127.0.0.1", port });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("serveInbound", () => {
  it("gives the handler the request a Next.js route handler sees, and sends its answer with the security headers", async () => {
    const res = await fetch(`${base}/echo?x=1`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "hello" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-handler")).toBe("yes");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    expect(await res.json()).toEqual({
      url: `http://127.0.0.1:${port}/echo?x=1`,
      body: "hello",
      again: "hello",
      type: "application/x-www-form-urlencoded",
      forwarded: {
        "x-forwarded-for": "127.0.0.1",
        "x-forwarded-host": `127.0.0.1:${port}`,
        "x-forwarded-port": String(port),
        "x-forwarded-proto": "http",
      },
    });
  });

  it("keeps the x-forwarded headers a proxy in front sent", async () => {
    const res = await fetch(`${base}/echo`, { headers: { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" } });
    const { forwarded } = (await res.json()) as { forwarded: Record<string, string> };
    expect(forwarded["x-forwarded-for"]).toBe("203.0.113.7");
    expect(forwarded["x-forwarded-proto"]).toBe("https");
  });

  it("refuses a declared length over the handler's cap without reading it", async () => {
    const answer = await rawExchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1.1 413 /);
  });

  it("stops reading a chunked body at the cap and closes the connection after the 413", async () => {
    const { status, connection, written, total } = await uploadUntilAnswered("/echo");
    expect(status).toBe(413);
    expect(connection).toBe("close");
    // Had the server read the whole upload to keep the connection, all of it would have been written.
    expect(written).toBeLessThan(total);
  });

  it("keeps the connection for the next request when the body was read whole", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = () =>
      new Promise<{ status?: number; socket: unknown }>((resolve, reject) => {
        const req = http.request(`${base}/echo`, { method: "POST", agent }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode, socket: req.socket }));
        });
        req.on("error", reject);
        req.end("a=1");
      });
    const first = await post();
    const second = await post();
    agent.destroy();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.socket).toBe(first.socket);
  });

  it("does not read an upload the handler refused without reading: the connection closes instead", async () => {
    const { status, connection, written, total } = await uploadUntilAnswered("/refuses");
    expect(status).toBe(401);
    expect(connection).toBe("close");
    expect(written).toBeLessThan(total);
  });

  it("sends every Set-Cookie header separately", async () => {
    const res = await fetch(`${base}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("sends the answer's body whole with its length", async () => {
    const res = await fetch(`${base}/text`);
    const body = "one, two, three: ünïcödé";
    expect(await res.text()).toBe(body);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it("answers a handler's exception with a 500 that reveals nothing", async () => {
    const res = await fetch(`${base}/throws`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: "server_error" });
    expect(text).not.toContain("s3cr3t");
  });

  it("answers a 500 when Node refuses the handler's headers, and keeps serving", async () => {
    const res = await fetch(`${base}/bad-header`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "server_error" });
    expect((await fetch(`${base}/text`)).status).toBe(200);
  });

  it("answers HEAD without a body", async () => {
    const res = await fetch(`${base}/text`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength("one, two, three: ünïcödé")));
    expect(await res.text()).toBe("");
  });

  it("aborts the request's signal when the client goes away", async () => {
    const controller = new AbortController();
    const pending = fetch(`${base}/waits`, { signal: controller.signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await pending;
    await expect.poll(() => aborted).toBe(true);
  });

  it("gives a handler that asks for the signal after the client went away an aborted one", async () => {
    const controller = new AbortController();
    const pending = fetch(`${base}/asks-late`, { signal: controller.signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await pending;
    await expect.poll(() => lateSignal).toBe(true);
  });
});

/** Sends a chunked upload of up to 64 MiB until the server answers; what it answered and how much was sent. */
async function uploadUntilAnswered(path: string) {
  const total = 64 * 1024 * 1024;
  let written = 0;
  const req = http.request(`${base}${path}`, { method: "POST", headers: { "transfer-encoding": "chunked" } });
  req.on("error", () => {}); // the server closes while we still write: expected
  const response = once(req, "response") as Promise<[http.IncomingMessage]>;
  let answered = false;
  void response.then(() => {
    answered = true;
  });
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  while (!answered && !req.destroyed && written < total) {
    written += chunk.length;
    if (!req.write(chunk)) await drainedOrDone(req, response);
  }
  const [res] = await response;
  res.resume();
  req.destroy();
  return { status: res.statusCode, connection: res.headers.connection, written, total };
}

/** Resolves on "drain", "close" or the answer, leaving no listener behind. */
function drainedOrDone(req: http.ClientRequest, response: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off("drain", done);
      req.off("close", done);
      resolve();
    };
    req.on("drain", done);
    req.on("close", done);
    void response.then(done);
  });
}

/** One request written as bytes, the answer's first bytes read back. */
async function rawExchange(text: string): Promise<string> {
  const { connect } = await import("node:net");
  const socket = connect(port, "127.0.0.1");
  socket.write(text);
  const [data] = (await once(socket, "data")) as [Buffer];
  socket.destroy();
  return data.toString();
}
