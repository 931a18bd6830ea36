import path from "node:path";
import { describe, expect, it } from "vitest";
import { appSpecFiles, parseShard, SPEC_SECONDS, shardSpecFiles, specSeconds } from "./e2e-shards";

const files = appSpecFiles(path.resolve("e2e"));

describe("the e2e shards", () => {
  it("lists the app project's specs: not the setup or support files", () => {
    expect(files).toContain("connections.spec.ts");
    expect(files).not.toContain("setup.spec.ts");
    expect(files.filter((f) => f.startsWith("support/"))).toEqual([]);
  });

  it("puts every spec file in exactly one shard, the same way each time", () => {
    for (const count of [1, 2, 3]) {
      const shards = Array.from({ length: count }, (_, i) => shardSpecFiles(files, { index: i + 1, count }));
      expect(shards.flat().sort()).toEqual(files);
      expect(shardSpecFiles(files, { index: count, count })).toEqual(shards[count - 1]);
    }
  });

  it("balances the shards by measured time and keeps the specs that share prepared pages together", () => {
    // Counted as the split counts them (a file nobody measured at the default, a group shared by its files).
    const seconds = (shard: string[]) => shard.reduce((sum, f) => sum + specSeconds(f), 0);
    const [first, second] = [1, 2].map((index) => shardSpecFiles(files, { index, count: 2 }));
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    const sweepShard = first.includes("every-page.spec.ts") ? first : second;
    expect(sweepShard).toEqual(expect.arrayContaining(["accessibility.spec.ts", "layout.spec.ts"]));
    // Each shard within the longest single unit of the other (greedy, longest first).
    const longest = Math.max(...Object.values(SPEC_SECONDS));
    expect(Math.abs(seconds(first) - seconds(second))).toBeLessThanOrEqual(longest + 60);
    // A new spec file nobody measured yet still lands in a shard.
    const withNew = [...files, "brand-new.spec.ts"].sort();
    const placed = [1, 2].flatMap((index) => shardSpecFiles(withNew, { index, count: 2 }));
    expect(placed.sort()).toEqual(withNew);
  });

  it("reads E2E_SHARD as i/n", () => {
    expect(parseShard(undefined)).toBeUndefined();
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/2", "3/2", "1", "a/b", "1/0"]) expect(() => parseShard(bad)).toThrow(/E2E_SHARD/);
  });
});
