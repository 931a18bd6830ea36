import { describe, expect, it } from "vitest";
import { BoundedMap } from "./bounded-map";

describe("BoundedMap", () => {
  it("drops the entry added first when a new key comes in full", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2).set("c", 3);
    expect([...map]).toEqual([
      ["b", 2],
      ["c", 3],
    ]);
  });

  it("updates a key in place without dropping another", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2).set("a", 10);
    expect([...map]).toEqual([
      ["a", 10],
      ["b", 2],
    ]);
  });

  it("makes a key the newest when it is deleted and set again", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2);
    map.delete("a");
    map.set("a", 1).set("c", 3);
    expect([...map.keys()]).toEqual(["a", "c"]);
  });
});
