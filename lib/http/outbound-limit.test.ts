import { describe, expect, it } from "vitest";
import { OutboundBusyError, OutboundLimiter, type Release } from "./outbound-limit";

const settle = () => new Promise((r) => setTimeout(r, 0));

/** Acquires and records the order in which slots were granted. */
function tracker(limiter: OutboundLimiter) {
  const granted: string[] = [];
  const releases = new Map<string, Release>();
  const take = (key: string, label: string, signal?: AbortSignal) =>
    limiter.acquire(key, signal).then((release) => {
      granted.push(label);
      releases.set(label, release);
    });
  return { granted, take, release: (label: string) => releases.get(label)?.() };
}

describe("OutboundLimiter", () => {
  it("lets at most maxInFlight run, queues the next ones in order and refuses beyond the queue bound", async () => {
    const limiter = new OutboundLimiter({ maxInFlight: 2, teamShare: 1, maxQueued: 2 });
    const t = tracker(limiter);
    const started = ["a", "b", "c", "d"].map((label) => t.take("team", label));
    await settle();
    expect(t.granted).toEqual(["a", "b"]);
    expect(limiter.stats()).toEqual({ inFlight: 2, queued: 2 });
    const refused = await limiter.acquire("team").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OutboundBusyError);
    expect((refused as OutboundBusyError).message).toMatch(
      /^Plugboard is busy: 2 outbound requests are running and 2 are waiting on this server; try again in \d+ s$/,
    );
    expect((refused as OutboundBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    t.release("a");
    await settle();
    expect(t.granted).toEqual(["a", "b", "c"]);
    t.release("b");
    t.release("c");
    await Promise.all(started);
    expect(t.granted).toEqual(["a", "b", "c", "d"]);
    t.release("d");
    expect(limiter.stats()).toEqual({ inFlight: 0, queued: 0 });
  });

  it("gives one team at most its share of the slots and of the queue; other teams still get theirs", async () => {
    const limiter = new OutboundLimiter({ maxInFlight: 4, teamShare: 0.5, maxQueued: 4 });
    const t = tracker(limiter);
    void ["a1", "a2", "a3", "a4"].map((label) => t.take("A", label));
    await settle();
    expect(t.granted).toEqual(["a1", "a2"]); // 2 of 4 slots; a3, a4 fill team A's half of the queue
    await expect(limiter.acquire("A")).rejects.toThrow(/your team already has 2 outbound requests running and 2 waiting/);
    void t.take("B", "b1");
    await settle();
    expect(t.granted).toEqual(["a1", "a2", "b1"]);
    // A release by team A goes to A's oldest waiter; team B is not blocked behind A's queue.
    t.release("a1");
    await settle();
    expect(t.granted).toEqual(["a1", "a2", "b1", "a3"]);
  });

  it("skips a waiter whose team is at its share and starts the next team's waiter", async () => {
    const limiter = new OutboundLimiter({ maxInFlight: 4, teamShare: 0.5, maxQueued: 4 });
    const t = tracker(limiter);
    for (const [key, label] of [
      ["A", "a1"],
      ["A", "a2"],
      ["B", "b1"],
      ["B", "b2"],
    ])
      void t.take(key, label);
    await settle();
    void t.take("B", "b3");
    void t.take("A", "a3");
    await settle();
    expect(limiter.stats()).toEqual({ inFlight: 4, queued: 2 });
    t.release("a1");
    await settle();
    // b3 is older, but team B still holds its share: a3 takes the freed slot.
    expect(t.granted).toEqual(["a1", "a2", "b1", "b2", "a3"]);
    t.release("b1");
    await settle();
    expect(t.granted).toEqual(["a1", "a2", "b1", "b2", "a3", "b3"]);
  });

  it("drops a waiter whose request is cancelled", async () => {
    const limiter = new OutboundLimiter({ maxInFlight: 1, teamShare: 1, maxQueued: 1 });
    const t = tracker(limiter);
    void t.take("team", "a");
    const controller = new AbortController();
    const waiting = t.take("team", "b", controller.signal).catch((e: unknown) => e);
    await settle();
    expect(limiter.stats().queued).toBe(1);
    controller.abort(new Error("cancelled"));
    expect(await waiting).toMatchObject({ message: "cancelled" });
    expect(limiter.stats()).toEqual({ inFlight: 1, queued: 0 });
    t.release("a");
    expect(limiter.stats()).toEqual({ inFlight: 0, queued: 0 });
  });
});
