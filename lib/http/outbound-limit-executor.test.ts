import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { OutboundLimiter } from "./outbound-limit";
import { startLocalServer, type LocalServer } from "./testing/local-server";

// 200 concurrent runs against a slow loopback server, through the executor with a small limiter.
let server: LocalServer;
let inFlight = 0;
let maxInFlight = 0;
const maxByTeam = new Map<string, number>();
const inFlightByTeam = new Map<string, number>();
let served = 0;

beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    const team = String(req.headers["x-team"]);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    inFlightByTeam.set(team, (inFlightByTeam.get(team) ?? 0) + 1);
    maxByTeam.set(team, Math.max(maxByTeam.get(team) ?? 0, inFlightByTeam.get(team) ?? 0));
    setTimeout(() => {
      inFlight--;
      inFlightByTeam.set(team, (inFlightByTeam.get(team) ?? 0) - 1);
      served++;
      res.end("slow");
    }, 150);
  });
});
afterAll(async () => {
  await server.close();
  await closeHttpAgents();
});

describe("the executor under the outbound limit", () => {
  it("keeps at most N requests in flight at the server, queues a bounded number and answers the rest busy", { timeout: 30_000 }, async () => {
    const limiter = new OutboundLimiter({ maxInFlight: 8, teamShare: 0.5, maxQueued: 40 });
    const allowedTargets = parseAllowedHosts("127.0.0.1");
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const team = i % 2 ? "team-a" : "team-b";
        return executeHttpRequest(
          { url: `${server.url}/slow`, headers: [{ key: "x-team", value: team }], responseType: "text" },
          { allowedTargets, limiter, limitKey: team },
        );
      }),
    );
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(maxInFlight).toBeGreaterThanOrEqual(4);
    expect(maxByTeam.get("team-a")).toBeLessThanOrEqual(4);
    expect(maxByTeam.get("team-b")).toBeLessThanOrEqual(4);
    const ok = results.filter((r) => r.ok);
    const busy = results.filter((r) => !r.ok && r.kind === "busy");
    // Each team: 4 in flight + 20 queued (its halves of 8 and 40); the other 152 were refused without being sent.
    expect(ok).toHaveLength(48);
    expect(busy).toHaveLength(152);
    expect(served).toBe(48);
    expect(busy[0]).toMatchObject({
      attempts: 0,
      message: expect.stringMatching(/^Plugboard is busy: .*try again in \d+ s$/),
      retryAfterSeconds: expect.any(Number),
    });
    expect(limiter.stats()).toEqual({ inFlight: 0, queued: 0 });
  });
});
