import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { BenchCase } from "./bench-case";
import { formatTable, goalVerdict, runCases, summarize } from "./run-cases";

const quiet = { log: () => {} };

function fakeCase(id: string, ratios: number[], overrides: Partial<BenchCase> = {}) {
  const calls: string[] = [];
  const benchCase: BenchCase = {
    id,
    ratio: "subject / baseline",
    better: "higher",
    goal: 0.8,
    async start() {
      calls.push("start");
      let i = 0;
      return {
        async round() {
          calls.push("round");
          const ratio = ratios[i++ % ratios.length];
          return { ratio, figures: { "MB/s": ratio * 100 } };
        },
        async stop() {
          calls.push("stop");
        },
      };
    },
    ...overrides,
  };
  return { benchCase, calls };
}

describe("runCases", () => {
  it("runs start, every round and stop, and reports the median and range of the ratios", async () => {
    const { benchCase, calls } = fakeCase("a", [0.9, 0.7, 1.1, 0.85, 0.95]);
    const [outcome] = await runCases([benchCase], { rounds: 5, ...quiet });
    expect(calls).toEqual(["start", "round", "round", "round", "round", "round", "stop"]);
    expect(summarize(outcome.rounds.map((r) => r.ratio))).toEqual({ median: 0.9, min: 0.7, max: 1.1 });
    expect(goalVerdict(outcome)).toBe("met (>= 0.8)");
    const table = formatTable([outcome], "text");
    expect(table).toContain("0.90x [0.70..1.10]");
    expect(table).toContain("MB/s 90.0");
  });

  it("reports a case that throws as failed, still stops it, and goes on with the next case", async () => {
    const broken = fakeCase("broken", [1]);
    const inner = broken.benchCase.start;
    broken.benchCase.start = async () => {
      const running = await inner();
      let n = 0;
      return {
        ...running,
        async round() {
          if (++n === 2) throw new Error("peer went away");
          return running.round();
        },
      };
    };
    const next = fakeCase("next", [2]);
    const outcomes = await runCases([broken.benchCase, next.benchCase], { rounds: 5, ...quiet });
    expect(outcomes[0].error).toBe("peer went away");
    expect(broken.calls.at(-1)).toBe("stop");
    expect(goalVerdict(outcomes[0])).toBe("failed");
    expect(outcomes[1].rounds).toHaveLength(5);
    expect(formatTable(outcomes, "markdown")).toContain("| broken |");
    expect(formatTable(outcomes, "markdown")).toContain("failed: peer went away");
  });

  it("writes the markdown table as the formatter lays it out (a results file passes the lint as written)", async () => {
    const wide = fakeCase("connections-page", [1.42, 1.2], { ratio: "a | b, in µs" });
    const outcomes = await runCases([wide.benchCase, fakeCase("x", [0.5]).benchCase], { rounds: 2, ...quiet });
    const file = `# npm run bench\n\n${formatTable(outcomes, "markdown")}\n\nMachine: here.\n`;
    const formatted = execFileSync("node_modules/.bin/biome", ["format", "--stdin-file-path=bench/results/latest.md"], {
      input: file,
      encoding: "utf8",
    });
    expect(formatted).toBe(file);
  });

  it("judges the goal in the case's direction and only with at least 5 rounds", async () => {
    const lower = fakeCase("lower", [1.4], { better: "lower", goal: 1.5 });
    const [met] = await runCases([lower.benchCase], { rounds: 5, ...quiet });
    expect(goalVerdict(met)).toBe("met (<= 1.5)");
    const higher = fakeCase("higher", [1.4], { goal: 1.5 });
    const [notMet] = await runCases([higher.benchCase], { rounds: 5, ...quiet });
    expect(goalVerdict(notMet)).toBe("NOT met (>= 1.5)");
    const [short] = await runCases([higher.benchCase], { rounds: 2, ...quiet });
    expect(goalVerdict(short)).toMatch(/^not judged/);
  });

  it("fails a case that takes longer than its time limit", async () => {
    const slow = fakeCase("slow", [1], { start: () => new Promise(() => {}) });
    const [outcome] = await runCases([slow.benchCase], { rounds: 5, caseTimeoutMs: 50, ...quiet });
    expect(outcome.error).toMatch(/timed out/);
  });
});
