import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileLauncher, currentFingerprint, LAUNCHER_ENTRY, SERVER_ENTRY } from "./build-fingerprint";

// A copy of the project's layout (its sources linked) with a launcher compiled into its .next/, so that the
// test never touches the real build; `npm start`'s script is run as npm runs it.
const repo = process.cwd();
const project = mkdtempSync(path.join(tmpdir(), "plugboard-start-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));
for (const entry of ["app", "components", "lib", "db", "public", "scripts", "node_modules", "instrumentation.ts", "proxy.ts"]) {
  symlinkSync(path.join(repo, entry), path.join(project, entry));
}
for (const file of ["package.json", "package-lock.json", "next.config.ts", "tsconfig.json", "postcss.config.mjs"]) {
  copyFileSync(path.join(repo, file), path.join(project, file));
}
mkdirSync(path.join(project, ".next"));
const startScript: string = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")).scripts.start;
// Every node process the script starts writes its entry and arguments here (NODE_OPTIONS reaches them all).
const processLog = path.join(project, "processes.log");
const recorder = path.join(project, "record-process.cjs");
// (Not in tsx's module-hooks thread, which loads it too.)
writeFileSync(
  recorder,
  `if (require("node:worker_threads").isMainThread) require("node:fs").appendFileSync(${JSON.stringify(processLog)}, JSON.stringify(process.argv.slice(1)) + "\\n");\n`,
);

/** Runs `npm start`'s script in the project; answers its result and the node processes it started. */
function npmStart(config: { noProxy: string }) {
  rmSync(processLog, { force: true });
  const run = spawnSync("sh", ["-c", startScript], {
    cwd: project,
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      NODE_OPTIONS: `--require ${recorder}`,
      DATABASE_URL: "postgres://nobody:nothing@127.0.0.1:1/none",
      AUTH_SECRET: "start-check-auth-secret-that-is-long-enough-0123",
      PLUGBOARD_ENCRYPTION_KEY: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
      PORT: "3999",
      NO_PROXY: config.noProxy,
    },
    encoding: "utf8",
    timeout: 60_000,
  });
  const processes = readFileSync(processLog, "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const [entry, ...args] = JSON.parse(line) as string[];
      return [path.relative(project, entry), ...args].join(" ");
    });
  return { ...run, processes };
}
const badConfig = { noProxy: "intranet.example,300.1.2.3/8" };
const badNoProxy = '[plugboard] cannot start: NO_PROXY: "300.1.2.3/8" is not a host name, .domain, IP address, CIDR or host:port';

describe("npm start's launcher as the build compiles it", () => {
  it("checks the configuration and starts the server itself when the build is current", () => {
    process.chdir(project);
    try {
      compileLauncher();
      // A stand-in for the built server, which only says how it was started.
      writeFileSync(SERVER_ENTRY, `console.log("server", process.argv.slice(2).join(" "), process.env.PLUGBOARD_PREPARE_DATABASE);\n`);
      writeFileSync(path.join(".next", "BUILD_ID"), "test");
      writeFileSync(path.join(".next", "plugboard-build-fingerprint"), currentFingerprint());
    } finally {
      process.chdir(repo);
    }
    const served = npmStart({ noProxy: "intranet.example" });
    expect(served.stderr).toBe("");
    expect(served.stdout.trim()).toBe("server --port 3999 1");
    expect(served.status).toBe(0);
    expect(served.processes).toEqual([LAUNCHER_ENTRY, `${SERVER_ENTRY} --port 3999`]);

    const refused = npmStart(badConfig);
    expect(refused.stderr.trim()).toBe(badNoProxy);
    expect(refused.status).toBe(1);
    expect(refused.processes).toEqual([LAUNCHER_ENTRY]);
  });

  it("hands over to scripts/start.ts when the sources changed since it was compiled", () => {
    writeFileSync(path.join(project, ".next", "plugboard-build-fingerprint"), "an older build");
    // The configuration is bad, so that the sources' launcher stops before it would build.
    const run = npmStart(badConfig);
    expect(run.stderr.trim()).toBe(badNoProxy);
    expect(run.status).toBe(1);
    expect(run.processes).toEqual([LAUNCHER_ENTRY, path.join("scripts", "start.ts")]);
  });

  it("is used by npm start only when it exists", () => {
    rmSync(path.join(project, LAUNCHER_ENTRY));
    const run = npmStart(badConfig);
    expect(run.stderr.trim()).toBe(badNoProxy);
    expect(run.status).toBe(1);
    expect(run.processes).toEqual([path.join("scripts", "start.ts")]);
  });
});
