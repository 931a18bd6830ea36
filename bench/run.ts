/**
 * `npm run bench`: runs every case in bench/cases/*.ts (the default export of each file, a BenchCase) and
 * prints one table: case, what the ratio compares, ratio median [min..max], goal met or not, absolute figures.
 *   npm run bench                  every case, BENCH_ROUNDS rounds each (default 5, the table needs >= 5)
 *   npm run bench -- flows rest    only those cases (by id)
 * A full run with >= 5 rounds also writes the table in markdown, with the machine it ran on, to
 * bench/results/latest.md (the README's Performance section shows it); a partial run writes
 * bench/results/partial.md. Exits 1 when a case failed.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchCase } from "./support/bench-case";
import {
  type CaseOutcome,
  formatMachine,
  formatTable,
  MIN_ROUNDS,
  machineFacts,
  restartUnderReactServer,
  roundsFromEnv,
  runCaseFileInChild,
} from "./support/run-cases";

if (!restartUnderReactServer()) await main();

async function main() {
  const benchDir = path.dirname(fileURLToPath(import.meta.url));
  const facts = machineFacts();
  const rounds = roundsFromEnv();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));

  const files = readdirSync(path.join(benchDir, "cases"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort();
  const cases: Array<BenchCase & { file: string }> = [];
  for (const file of files) {
    const filePath = path.join(benchDir, "cases", file);
    const mod = (await import(pathToFileURL(filePath).href)) as { default?: BenchCase };
    if (!mod.default?.id || typeof mod.default.start !== "function")
      throw new Error(`bench/cases/${file} has no default export implementing BenchCase`);
    cases.push({ ...mod.default, file: filePath });
  }
  const unknown = wanted.filter((id) => !cases.some((c) => c.id === id));
  if (unknown.length) {
    console.error(`Unknown case ${unknown.join(", ")}; the cases are: ${cases.map((c) => c.id).join(", ")}`);
    process.exit(2);
  }
  const selected = wanted.length ? cases.filter((c) => wanted.includes(c.id)) : cases;
  console.error(`[bench] ${selected.length} case(s): ${selected.map((c) => c.id).join(", ")}; ${rounds} rounds each`);
  console.error(`[bench] ${formatMachine(facts)}`);

  // Each case in a process of its own: cases point the app's env and database singletons at their own database.
  const outcomes: CaseOutcome[] = [];
  for (const benchCase of selected) outcomes.push(await runCaseFileInChild(benchCase.file, benchCase, rounds));
  facts.loadAfter = os.loadavg() as typeof facts.loadAfter;

  console.log(`\n${formatTable(outcomes, "text")}\n`);
  console.log(formatMachine(facts));

  if (rounds >= MIN_ROUNDS) {
    const file = path.join(benchDir, "results", wanted.length ? "partial.md" : "latest.md");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      `# npm run bench${wanted.length ? ` -- ${wanted.join(" ")}` : ""}\n\n${formatTable(outcomes, "markdown")}\n\n` +
        `${formatMachine(facts)} ${rounds} rounds per case; each round measures the subject and its baseline interleaved.\n`,
    );
    console.log(`Written to ${path.relative(process.cwd(), file)}`);
  }
  process.exit(outcomes.some((o) => o.error) ? 1 : 0);
}
