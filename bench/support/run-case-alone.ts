import { pathToFileURL } from "node:url";
import type { BenchCase, BenchRoundResult } from "./bench-case";

/** True when `moduleUrl` is the script node was started with (`npx tsx bench/cases/<id>.ts`). */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** Runs one case alone: `rounds` rounds, then the median ratio with its range and each figure's median. */
export async function runCaseAlone(benchCase: BenchCase, rounds = Number(process.env.BENCH_ROUNDS ?? 5)): Promise<void> {
  const running = await benchCase.start();
  const results: BenchRoundResult[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const result = await running.round();
      console.log(`[${benchCase.id}] round ${i + 1}: ratio ${result.ratio.toFixed(3)} ${JSON.stringify(result.figures)}`);
      results.push(result);
    }
  } finally {
    await running.stop();
  }
  const ratios = results.map((r) => r.ratio);
  const figures = Object.keys(results[0]?.figures ?? {}).map((name) => `${name} ${median(results.map((r) => r.figures[name] ?? Number.NaN))}`);
  const met =
    benchCase.goal === undefined
      ? ""
      : (benchCase.better === "lower" ? median(ratios) <= benchCase.goal : median(ratios) >= benchCase.goal)
        ? " (goal met)"
        : " (goal NOT met)";
  console.log(
    `${benchCase.id}: ${benchCase.ratio}: ${median(ratios).toFixed(3)} [${Math.min(...ratios).toFixed(3)}..${Math.max(...ratios).toFixed(3)}]${met}; ${figures.join(", ")}`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
