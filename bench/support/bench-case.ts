/**
 * One case of `npm run bench` (bench/run.ts runs every case in bench/cases/ and prints one table).
 * A case compares the user's path (subject) with a baseline measured in the same round, interleaved
 * (subject and baseline alternate inside each round), so the ratio holds across machines even when the
 * absolute figures do not.
 */
export type BenchRoundResult = {
  /** subject / baseline for this round, in the direction `better` says. */
  ratio: number;
  /** Absolute figures of this round shown beside the ratio, e.g. { "req/s": 812, "undici req/s": 11267, "server CPU ms/req": 1.1 }. */
  figures: Record<string, number>;
};

export type BenchCase = {
  /** Short id used in the table and in `npm run bench -- <id>…` to run only some cases. */
  id: string;
  /** What the ratio compares, e.g. "REST run / plain undici, req/s at 32 concurrent". */
  ratio: string;
  /** Whether a higher or a lower ratio is better (throughput: higher; time or size: lower). */
  better: "higher" | "lower";
  /** The goal for the ratio's median, if it has one (checked and printed as met / not met). */
  goal?: number;
  /** Starts what the case needs (servers, databases, seed data); returns the round runner and the cleanup. */
  start(): Promise<{ round(): Promise<BenchRoundResult>; stop(): Promise<void> }>;
};
