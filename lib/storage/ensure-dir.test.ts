import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureDir } from "./ensure-dir";

describe("ensureDir", () => {
  it("creates the directory once: later calls share the first call's work", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "ensure-dir-"));
    const dir = path.join(root, "a", "downloads");
    const first = ensureDir(dir);
    expect(ensureDir(dir)).toBe(first);
    await first;
    expect((await stat(dir)).isDirectory()).toBe(true);
    expect(ensureDir(dir)).toBe(first);
    await rm(root, { recursive: true });
  });

  it("tries again after a failure", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "ensure-dir-"));
    const blocker = path.join(root, "file");
    await writeFile(blocker, "not a directory");
    const dir = path.join(blocker, "downloads");
    const failed = ensureDir(dir);
    await expect(failed).rejects.toThrow();
    await rm(blocker);
    const retried = ensureDir(dir);
    expect(retried).not.toBe(failed);
    await retried;
    expect((await stat(dir)).isDirectory()).toBe(true);
    await rm(root, { recursive: true });
  });
});
