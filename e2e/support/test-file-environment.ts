import { afterAll } from "vitest";
import { resetEnvCache } from "@/lib/config/env";

/**
 * Undoes a test file's changes to process.env once it is done. Projects that run files without isolation
 * (vitest.config.ts) give a worker's next file the same process, so without this it would start from
 * whatever the previous file set. Call it first in a setup file, before the setup changes anything itself.
 */
export function restoreEnvironmentAfterFile(): void {
  const environmentAtStart = { ...process.env };
  afterAll(() => {
    for (const name of Object.keys(process.env)) if (!(name in environmentAtStart)) delete process.env[name];
    Object.assign(process.env, environmentAtStart);
    resetEnvCache();
  });
}
