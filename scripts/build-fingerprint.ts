import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

// What `next build` reads: a change to any of these makes `npm start` build again.
const INPUTS = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "package.json",
  "package-lock.json",
  "next.config.ts",
  "instrumentation.ts",
  "proxy.ts",
  "tsconfig.json",
  "postcss.config.mjs",
  "scripts/serve.ts",
  // The launcher (.next/plugboard-start.mjs is compiled from these and what they import from lib/ and db/).
  "scripts/start.ts",
  "scripts/build-fingerprint.ts",
];
const FINGERPRINT_FILE = path.join(".next", "plugboard-build-fingerprint");
/** The production server (scripts/serve.ts) as plain JavaScript: run by node without a TypeScript loader. */
export const SERVER_ENTRY = path.join(".next", "plugboard-serve.mjs");
/**
 * `npm start`'s launcher (scripts/start.ts) bundled as plain JavaScript, with its packages left to node_modules:
 * npm start runs it when it exists, which saves tsx's module hooks (about a quarter of a second, most of the
 * launcher's time) before the server is spawned. It is current exactly when the build is (its sources are inputs).
 */
export const LAUNCHER_ENTRY = path.join(".next", "plugboard-start.mjs");

function walk(entry: string, out: string[]) {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const child of readdirSync(entry).sort()) {
      if (child === "node_modules" || child.endsWith(".test.ts")) continue;
      walk(path.join(entry, child), out);
    }
  } else {
    out.push(`${entry}:${stat.size}:${createHash("sha1").update(readFileSync(entry)).digest("hex")}`);
  }
}

export function currentFingerprint(): string {
  const lines: string[] = [];
  for (const input of INPUTS) walk(input, lines);
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

export function buildIsCurrent(): boolean {
  return (
    existsSync(path.join(".next", "BUILD_ID")) &&
    existsSync(SERVER_ENTRY) &&
    existsSync(LAUNCHER_ENTRY) &&
    existsSync(FINGERPRINT_FILE) &&
    readFileSync(FINGERPRINT_FILE, "utf8") === currentFingerprint()
  );
}

export function recordBuild(fingerprint: string) {
  writeFileSync(FINGERPRINT_FILE, fingerprint);
}

/**
 * scripts/serve.ts compiled alone (it imports only Node, Next.js and types): running it through tsx would
 * put tsx's module hooks under every module Next.js loads, about a second more to the first answer.
 */
function compileServerEntry() {
  // Loaded here, not at the top: TypeScript takes most of a second to load, and `npm start` imports this file.
  const ts: typeof import("typescript") = createRequire(import.meta.url)("typescript");
  const source = readFileSync(path.join("scripts", "serve.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: "serve.ts",
  });
  writeFileSync(SERVER_ENTRY, outputText);
}

/** Bundles scripts/start.ts (of the current directory) into `outfile`; esbuild, because its lib/ imports use paths aliases. */
export function compileLauncher(outfile = LAUNCHER_ENTRY) {
  const esbuild: typeof import("esbuild") = createRequire(import.meta.url)("esbuild");
  esbuild.buildSync({
    entryPoints: [path.join("scripts", "start.ts")],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: "tsconfig.json",
    logLevel: "warning",
  });
}

/** Runs `next build` unless the last build is of the current sources; throws when the build fails. */
export function buildIfStale(): void {
  if (buildIsCurrent()) return;
  console.log("[plugboard] building the app (first start, or the sources changed)…");
  const fingerprint = currentFingerprint();
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) throw new Error("next build failed");
  compileServerEntry();
  compileLauncher();
  recordBuild(fingerprint);
}
