import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { AttemptSignal } from "./cancellation";
import { closeHttpAgents, getDispatcher } from "./dispatcher";
import { HttpRequestError } from "./errors";
import { sendRequest } from "./incoming-response";

// A body larger than what is held unread (64 KiB) and than what dump() reads before closing (128 KiB).
const BIG = Buffer.alloc(1024 * 1024, 0x61);
const dispatcher = getDispatcher({ rejectUnauthorized: true, allow: parseAllowedHosts("127.0.0.1") });
let base: URL;
let requests = 0;
let closedSockets = 0;
const server = http.createServer((req, res) => {
  requests++;
  if (req.url === "/hints") {
    res.writeEarlyHints({ link: "</style.css>; rel=preload; as=style" });
    res.end("after hints");
    return;
  }
  res.writeHead(200, { "content-length": BIG.length });
  res.end(BIG);
});
server.on("connection", (socket) => socket.on("close", () => closedSockets++));

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(async () => {
  await closeHttpAgents();
  server.close();
});

const tooLarge = () => new Error("too large");

function send(path: string, signal = new AttemptSignal(10, undefined)) {
  return sendRequest(dispatcher, new URL(path, base), { method: "GET", headers: {} }, signal);
}

describe("sendRequest", () => {
  it("hands over a body read later whole (held, the socket paused past 64 KiB)", async () => {
    const res = await send("/big");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const data = await res.body.collect(2 * BIG.length, tooLarge, undefined);
    expect(data.equals(BIG)).toBe(true);
  });

  it("refuses a body past the limit with the caller's error", async () => {
    const res = await send("/big");
    await expect(res.body.collect(1000, tooLarge, undefined)).rejects.toThrow("too large");
  });

  it("streams a body with back-pressure", async () => {
    const res = await send("/big");
    let size = 0;
    for await (const chunk of res.body.stream()) size += (chunk as Buffer).length;
    expect(size).toBe(BIG.length);
  });

  it("throws a long unread body away by closing its connection", async () => {
    const closed = closedSockets;
    const res = await send("/big");
    await res.body.dump();
    await expect.poll(() => closedSockets).toBeGreaterThan(closed);
  });

  it("skips an informational 103 and answers the final response", async () => {
    const res = await send("/hints");
    expect(res.statusCode).toBe(200);
    expect((await res.body.collect(1000, tooLarge, undefined)).toString()).toBe("after hints");
  });

  it("sends nothing for an attempt that is already over", async () => {
    const before = requests;
    const signal = new AttemptSignal(10, undefined);
    signal.abort(new HttpRequestError("timeout", "timed out"));
    await expect(send("/big", signal)).rejects.toThrow("timed out");
    signal.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toBe(before);
  });

  it("cancels a body being read when the attempt times out", async () => {
    const signal = new AttemptSignal(10, undefined);
    const res = await send("/big", signal);
    const read = res.body.collect(2 * BIG.length, tooLarge, undefined);
    signal.abort(new HttpRequestError("timeout", "timed out"));
    signal.dispose();
    await expect(read).rejects.toThrow("timed out");
  });
});
