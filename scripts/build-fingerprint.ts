import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

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
];
const FINGERPRINT_FILE = path.join(".next", "plugboard-build-fingerprint");

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
    existsSync(path.join(".next", "BUILD_ID")) && existsSync(FINGERPRINT_FILE) && readFileSync(FINGERPRINT_FILE, "utf8") === currentFingerprint()
  );
}

export function recordBuild(fingerprint: string) {
  writeFileSync(FINGERPRINT_FILE, fingerprint);
}

/** Runs `next build` unless the last build is of the current sources; throws when the build fails. */
export function buildIfStale(): void {
  if (buildIsCurrent()) return;
  console.log("[plugboard] building the app (first start, or the sources changed)…");
  const fingerprint = currentFingerprint();
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) throw new Error("next build failed");
  recordBuild(fingerprint);
}
