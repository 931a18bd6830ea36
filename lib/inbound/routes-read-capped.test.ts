import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Every route handler must read its body through lib/inbound/read-body.ts: an uncapped read of an
// anonymous POST is how a 300 MB body got into memory.
const UNCAPPED = /\b(request|req)\.(json|text|formData|arrayBuffer|blob)\(\)/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("route handlers", () => {
  it("never read a request body without the cap", () => {
    const offenders = [...files("app"), ...files("lib/api"), ...files("lib/oauth-server"), ...files("lib/flows")].filter((file) =>
      UNCAPPED.test(readFileSync(file, "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
