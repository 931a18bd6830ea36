import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BenchCase } from "../support/bench-case";
import { runCaseIfMain } from "../support/run-cases";
import { stopChild } from "@/e2e/support/child-processes";
import { buildIfStale } from "@/scripts/build-fingerprint";

/**
 * `npm start` to its first HTTP answer, against bare `next start` on the same build and the same embedded
 * database folder, alternating within each round. The folder is migrated once in start(): a restart of an
 * installed app is the common case (the first start of all also creates the database, which bare
 * `next start` cannot do). Both run with the same environment, flow workers included; `npm start` is run
 * as npm runs it (package.json's start script by `sh -c`), without npm's own start-up.
 */
const PORT = 3194;
const nextCli = createRequire(import.meta.url).resolve("next/dist/bin/next");

const startCase: BenchCase = {
  id: "start",
  ratio: "npm start / bare next start, time to first HTTP answer (migrated embedded database)",
  better: "lower",
  goal: 1.3,
  async start() {
    buildIfStale();
    const dataDir = mkdtempSync(path.join(tmpdir(), "plugboard-bench-start-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(PORT),
      PLUGBOARD_DATA_DIR: dataDir,
      AUTH_SECRET: "bench-auth-secret-that-is-long-enough-0123456789",
      PLUGBOARD_ENCRYPTION_KEY: "bench:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    };
    delete env.DATABASE_URL;
    const npmStart: Command = ["sh", ["-c", startScript()]];
    const bare: Command = [process.execPath, [nextCli, "start", "-p", String(PORT)]];
    await timeToFirstAnswer(npmStart, env); // creates and migrates the folder
    return {
      async round() {
        const bareMs = await timeToFirstAnswer(bare, env);
        const startMs = await timeToFirstAnswer(npmStart, env);
        return { ratio: startMs / bareMs, figures: { "npm start ms": Math.round(startMs), "next start ms": Math.round(bareMs) } };
      },
      async stop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};
export default startCase;

type Command = [file: string, args: string[]];

/** package.json's start script, which `npm start` runs with `sh -c`. */
function startScript(): string {
  const { scripts } = JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { scripts: { start: string } };
  return scripts.start;
}

/** Starts the command, polls until any HTTP answer, stops it; the milliseconds from spawn to answer. */
async function timeToFirstAnswer([file, args]: Command, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child: ChildProcess = spawn(file, args, { env, stdio: ["ignore", "ignore", "inherit"] });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${file} ${args.join(" ")} exited with ${child.exitCode}`);
      const answered = await fetch(`http://127.0.0.1:${PORT}/sign-in`, { redirect: "manual" }).then(
        () => true,
        () => false,
      );
      if (answered) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error(`${file} ${args.join(" ")} did not answer within 2 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await stopChild(child, "SIGTERM", 10_000);
  }
}

await runCaseIfMain(import.meta.url, startCase);
