/**
 * Runs bench cases (bench/support/bench-case.ts) and builds the one table `npm run bench` prints: used by
 * bench/run.ts for every case in bench/cases/, and by a case file run alone:
 *
 *   // at the end of bench/cases/<id>.ts
 *   await runCaseIfMain(import.meta.url, myCase);     // npx tsx bench/cases/<id>.ts
 *
 * A case imports app modules inside start() (`await import("@/…")`), never at the top of the file: the file
 * must load before the process re-starts itself under `--conditions=react-server` (server-only modules), and
 * bench/run.ts imports every case file to read its id.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchCase, BenchRoundResult } from "./bench-case";

/** The table needs at least this many rounds per case to judge a goal (the issue asks for a median of >= 5). */
export const MIN_ROUNDS = 5;

export type RunCasesOptions = {
  /** Rounds per case (BENCH_ROUNDS, default 5). Fewer than MIN_ROUNDS is allowed for a quick try; goals are then not judged. */
  rounds?: number;
  /** A case whose start, rounds and stop take longer than this fails (BENCH_CASE_TIMEOUT_S, default 900 s). */
  caseTimeoutMs?: number;
  /** Progress lines (round by round), default console.error so stdout keeps the table only. */
  log?: (line: string) => void;
};

export type CaseOutcome = {
  benchCase: Pick<BenchCase, "id" | "ratio" | "better" | "goal">;
  rounds: BenchRoundResult[];
  /** Set when start, a round or stop threw (or the case timed out); the rounds before it are kept. */
  error?: string;
  seconds: number;
};

export type MachineFacts = {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  date: string;
  /** 1, 5 and 15 minute load averages when the run started: how idle the machine was. */
  loadBefore: [number, number, number];
  loadAfter?: [number, number, number];
};

export function roundsFromEnv(): number {
  const raw = process.env.BENCH_ROUNDS;
  if (raw === undefined || raw === "") return MIN_ROUNDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`BENCH_ROUNDS must be a whole number from 1 to 100, got "${raw}"`);
  return n;
}

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  const [a, b, c] = os.loadavg();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    loadBefore: [a, b, c],
  };
}

/** Runs each case in turn: start(), the rounds, stop(). A case that throws is reported as failed and the next one runs. */
export async function runCases(cases: BenchCase[], options: RunCasesOptions = {}): Promise<CaseOutcome[]> {
  const rounds = options.rounds ?? roundsFromEnv();
  const caseTimeoutMs = options.caseTimeoutMs ?? Number(process.env.BENCH_CASE_TIMEOUT_S ?? 900) * 1000;
  const log = options.log ?? ((line: string) => console.error(line));
  const outcomes: CaseOutcome[] = [];
  for (const benchCase of cases) {
    const started = performance.now();
    const outcome: CaseOutcome = { benchCase, rounds: [], seconds: 0 };
    log(`[bench] ${benchCase.id}: starting (${rounds} rounds)`);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${caseTimeoutMs / 1000} s`)), caseTimeoutMs);
    });
    let running: Awaited<ReturnType<BenchCase["start"]>> | undefined;
    try {
      running = await Promise.race([benchCase.start(), timedOut]);
      for (let i = 1; i <= rounds; i++) {
        const result = await Promise.race([running.round(), timedOut]);
        checkRound(result);
        outcome.rounds.push(result);
        log(`[bench] ${benchCase.id}: round ${i}/${rounds} ratio ${formatNumber(result.ratio)}  ${formatFigures(result.figures)}`);
      }
    } catch (error) {
      outcome.error = messageOf(error);
      log(`[bench] ${benchCase.id}: FAILED: ${outcome.error}`);
    } finally {
      clearTimeout(timer);
    }
    if (running) {
      try {
        await running.stop();
      } catch (error) {
        outcome.error ??= `stop: ${messageOf(error)}`;
        log(`[bench] ${benchCase.id}: stop failed: ${messageOf(error)}`);
      }
    }
    outcome.seconds = (performance.now() - started) / 1000;
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Runs one case file in a child process (the way bench/run.ts runs every case): each case sets the
 * environment and opens the app's database and queue singletons for its own database, which must not leak
 * into the next case. The child reports its outcome through a file; a child that dies is a failed case.
 */
export async function runCaseFileInChild(
  file: string,
  benchCase: Pick<BenchCase, "id" | "ratio" | "better" | "goal">,
  rounds: number,
): Promise<CaseOutcome> {
  const outcomeFile = path.join(os.tmpdir(), `plugboard-bench-${benchCase.id}-${process.pid}.json`);
  rmSync(outcomeFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, file], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, BENCH_ROUNDS: String(rounds), BENCH_OUTCOME_FILE: outcomeFile },
  });
  const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
  if (!existsSync(outcomeFile)) {
    return {
      benchCase,
      rounds: [],
      error: `the case's process exited with ${signal ?? code} before reporting`,
      seconds: (performance.now() - started) / 1000,
    };
  }
  const outcome = JSON.parse(readFileSync(outcomeFile, "utf8")) as CaseOutcome;
  rmSync(outcomeFile, { force: true });
  return outcome;
}

/**
 * When `moduleUrl` is the file node was started with, runs that one case and prints its table. Re-starts
 * the process under `--conditions=react-server` first when needed (the app's server-only modules).
 */
export async function runCaseIfMain(moduleUrl: string, benchCase: BenchCase): Promise<void> {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  if (restartUnderReactServer()) return;
  const facts = machineFacts();
  const outcomes = await runCases([benchCase]);
  // bench/run.ts runs each case file in a process of its own and reads its outcome here.
  const outcomeFile = process.env.BENCH_OUTCOME_FILE;
  if (outcomeFile) {
    writeFileSync(outcomeFile, JSON.stringify(outcomes[0]));
    process.exit(0);
  }
  facts.loadAfter = os.loadavg() as MachineFacts["loadAfter"];
  console.log(formatTable(outcomes, "text"));
  console.log(formatMachine(facts));
  process.exit(outcomes.some((o) => o.error) ? 1 : 0);
}

/**
 * True when this process handed over to a child started with `--conditions=react-server` (the caller
 * must then do nothing more): the way bench/load.ts runs code that imports server-only modules.
 */
export function restartUnderReactServer(): boolean {
  if (process.execArgv.includes("--conditions=react-server")) return false;
  const child = spawn(process.execPath, [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)], { stdio: "inherit" });
  // Ctrl-C reaches the child through the terminal; SIGTERM to this process is passed on.
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}

export type Summary = { median: number; min: number; max: number };

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** "met", "not met", "no goal", or why it is not judged. */
export function goalVerdict(outcome: CaseOutcome): string {
  const { goal, better } = outcome.benchCase;
  if (outcome.error) return "failed";
  if (goal === undefined) return "no goal";
  if (outcome.rounds.length < MIN_ROUNDS) return `not judged (${outcome.rounds.length} < ${MIN_ROUNDS} rounds)`;
  const { median } = summarize(outcome.rounds.map((r) => r.ratio));
  const met = better === "higher" ? median >= goal : median <= goal;
  return `${met ? "met" : "NOT met"} (${better === "higher" ? ">=" : "<="} ${goal})`;
}

/** Median of each absolute figure across the rounds, in the order the case first reported them. */
export function figureMedians(rounds: BenchRoundResult[]): Array<[string, number]> {
  const names: string[] = [];
  for (const r of rounds) for (const name of Object.keys(r.figures)) if (!names.includes(name)) names.push(name);
  return names.map((name) => [
    name,
    summarize(rounds.map((r) => r.figures[name]).filter((v): v is number => typeof v === "number" && Number.isFinite(v))).median,
  ]);
}

/** The table: aligned text for the terminal, or markdown for bench/results and the README. */
export function formatTable(outcomes: CaseOutcome[], style: "text" | "markdown"): string {
  const header = ["case", "ratio", "median [min..max]", "goal", "absolute figures (medians)"];
  const rows = outcomes.map((o) => {
    const ratios = o.rounds.map((r) => r.ratio);
    const s = ratios.length ? summarize(ratios) : undefined;
    const range = s ? `${formatNumber(s.median)}x [${formatNumber(s.min)}..${formatNumber(s.max)}]` : "-";
    const rounds = o.rounds.length ? ` (${o.rounds.length} rounds, ${Math.round(o.seconds)} s)` : "";
    const figures = o.error ? `failed: ${o.error}` : formatFigures(Object.fromEntries(figureMedians(o.rounds)));
    return [o.benchCase.id, `${o.benchCase.ratio}, ${o.benchCase.better} is better`, `${range}${rounds}`, goalVerdict(o), figures];
  });
  if (style === "markdown") {
    // Padded as the formatter (biome) lays tables out, so a written results file passes the lint as it is.
    const escapeCell = (cell: string) => cell.replaceAll("|", "\\|").replaceAll("\n", " ");
    const cells = [header, ...rows].map((row) => row.map(escapeCell));
    const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
    const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return [line(cells[0]), line(widths.map((w) => "-".repeat(w))), ...cells.slice(1).map(line)].join("\n");
  }
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((cells) => cells[i].length)));
  return [header, widths.map((w) => "-".repeat(w)), ...rows]
    .map((cells) =>
      cells
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatMachine(facts: MachineFacts): string {
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");
  return (
    `Machine: ${facts.cpu}, ${facts.cores} cores, ${facts.ramGiB} GiB RAM, node ${facts.node}, ${facts.date}; ` +
    `load average (1/5/15 min) ${load(facts.loadBefore)} before the run${facts.loadAfter ? `, ${load(facts.loadAfter)} after` : ""}.`
  );
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString("en-US");
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

function formatFigures(figures: Record<string, number>): string {
  return Object.entries(figures)
    .map(([name, value]) => `${name} ${formatNumber(value)}`)
    .join(", ");
}

function checkRound(result: BenchRoundResult) {
  if (!result || !Number.isFinite(result.ratio) || result.ratio < 0) throw new Error(`a round returned an invalid ratio: ${result?.ratio}`);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].slice(0, 300);
}
