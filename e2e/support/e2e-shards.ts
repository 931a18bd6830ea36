import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * The `app` project's spec files split over several Playwright runs, each with its own app server and
 * database (`npm test` starts them side by side; `E2E_SHARD=i/n` tells a run which part is its own). A split
 * by file, not by test: a spec's tests share its team and its page.
 *
 * Balanced by each file's measured time (greedy, longest first), which Playwright's own `--shard` does not do;
 * a file not in the table counts as DEFAULT_SECONDS.
 */
export const SPEC_SECONDS: Record<string, number> = {
  // Seconds per file from a clean-clone rehearsal of `npm test` (two shards side by side, this 2-core machine,
  // Playwright's list reporter's per-test times summed); only their ratios matter. Update after adding specs.
  "alerts-endpoint-edit.spec.ts": 11,
  "alerts.spec.ts": 26,
  "auth.spec.ts": 5,
  "builder-cookies.spec.ts": 9,
  "bundle.spec.ts": 17,
  "connection-detail.spec.ts": 11,
  "connection-health.spec.ts": 17,
  "connection-types.spec.ts": 8,
  "connections-list.spec.ts": 14,
  "connections.spec.ts": 40,
  "create-in-place.spec.ts": 18,
  "first-impressions.spec.ts": 33,
  "flows.spec.ts": 26,
  "http2-cookies.spec.ts": 9,
  "hydration.spec.ts": 17,
  "lazy-menus.spec.ts": 2,
  "mcp.spec.ts": 9,
  "oauth-consent-jwt.spec.ts": 17,
  "oauth-private-key-jwt.spec.ts": 6,
  "oauth-secrets.spec.ts": 15,
  "oauth-server.spec.ts": 21,
  "proxy.spec.ts": 4,
  "requests.spec.ts": 13,
  "server-actions.spec.ts": 1,
  "sso-admin.spec.ts": 13,
  "sso.spec.ts": 31,
  "team.spec.ts": 12,
  "test-on-save.spec.ts": 14,
  "theme.spec.ts": 8,
  "timing.spec.ts": 5,
  "variables.spec.ts": 6,
  // One unit: they read the pages `readOnlyAppPages` prepares once per worker, so they stay in one run.
  "accessibility.spec.ts+every-page.spec.ts+layout.spec.ts": 121,
};
const DEFAULT_SECONDS = 15;

/** Spec files that must run in the same shard, written as one SPEC_SECONDS key joined by "+". */
const TOGETHER = Object.keys(SPEC_SECONDS).filter((key) => key.includes("+"));

/** One file's share of the time the split counts: its own entry, its part of a group's, or the default. */
export function specSeconds(file: string): number {
  const group = TOGETHER.find((key) => key.split("+").includes(file));
  if (group) return SPEC_SECONDS[group] / group.split("+").length;
  return SPEC_SECONDS[file] ?? DEFAULT_SECONDS;
}

export interface Shard {
  index: number; // 1-based
  count: number;
}

/** `E2E_SHARD=i/n`, or undefined when unset (one run holds every spec). */
export function parseShard(value: string | undefined): Shard | undefined {
  if (!value) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new Error(`E2E_SHARD must be i/n with 1 <= i <= n (got "${value}")`);
  return { index, count };
}

/** The `app` project's spec files, relative to e2e/ with "/" separators, as its testMatch/testIgnore see them. */
export function appSpecFiles(testDir: string): string[] {
  const entries = readdirSync(testDir, { recursive: true, encoding: "utf8" });
  return entries
    .map((entry) => entry.split(path.sep).join("/"))
    .filter((file) => file.endsWith(".spec.ts") && !file.startsWith("support/"))
    .filter((file) => path.posix.basename(file) !== "setup.spec.ts")
    .sort();
}

/** The files of shard `index` of `count`: every file in exactly one shard, the same split on every call. */
export function shardSpecFiles(files: string[], { index, count }: Shard): string[] {
  const units: { files: string[]; seconds: number }[] = [];
  const grouped = new Set<string>();
  for (const key of TOGETHER) {
    const members = key.split("+").filter((file) => files.includes(file));
    for (const file of members) grouped.add(file);
    if (members.length > 0) units.push({ files: members, seconds: SPEC_SECONDS[key] ?? DEFAULT_SECONDS * members.length });
  }
  for (const file of files) {
    if (!grouped.has(file)) units.push({ files: [file], seconds: SPEC_SECONDS[file] ?? DEFAULT_SECONDS });
  }
  // Longest first, ties by name, each to the least loaded shard (the lowest index on a tie).
  units.sort((a, b) => b.seconds - a.seconds || a.files[0].localeCompare(b.files[0]));
  const loads = Array.from({ length: count }, () => ({ seconds: 0, files: [] as string[] }));
  for (const unit of units) {
    const least = loads.reduce((best, load) => (load.seconds < best.seconds ? load : best));
    least.seconds += unit.seconds;
    least.files.push(...unit.files);
  }
  return loads[index - 1].files.sort();
}
