import { mkdir } from "node:fs/promises";

// Directories this process has created, so a hot path (a request run needs its downloads folder) makes
// one mkdir call per directory instead of one per call.
const ensured = new Map<string, Promise<unknown>>();

/** Creates `dir` (and its parents) once per process; a failure is not remembered, so the next call tries again. */
export function ensureDir(dir: string): Promise<unknown> {
  let made = ensured.get(dir);
  if (!made) {
    made = mkdir(dir, { recursive: true });
    ensured.set(dir, made);
    made.catch(() => ensured.delete(dir));
  }
  return made;
}
