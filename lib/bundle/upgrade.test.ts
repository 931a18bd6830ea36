import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBundle, parseBundleText } from "./upgrade";

const fixture = () => JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", "bundle-v1.json"), "utf8")) as Record<string, unknown>;
const withKdf = (kdf: Record<string, unknown>) => {
  const bundle = fixture();
  const secrets = bundle.secrets as { kdf: Record<string, unknown> };
  return { ...bundle, secrets: { ...secrets, kdf: { ...secrets.kdf, ...kdf } } };
};

describe("reading a bundle", () => {
  it("reads the version 1 fixture", () => {
    expect(parseBundle(fixture())).toMatchObject({ version: 1, secrets: { mode: "passphrase", kdf: { name: "scrypt", N: 32768, r: 8, p: 1 } } });
  });

  it("refuses scrypt costs a crafted bundle could use to exhaust memory or time, and weak ones", () => {
    expect(() => parseBundle(withKdf({ N: 2 ** 24 }))).toThrow(/secrets\.kdf\.N/);
    expect(() => parseBundle(withKdf({ N: 2 ** 15 + 1 }))).toThrow(/power of two/);
    expect(() => parseBundle(withKdf({ p: 1000 }))).toThrow(/secrets\.kdf\.p/);
    expect(() => parseBundle(withKdf({ N: 1024 }))).toThrow(/secrets\.kdf\.N/);
  });

  it("names what is wrong: not JSON, not a bundle, no version, a newer version, an invalid member", () => {
    expect(() => parseBundleText("{")).toThrow("The file is not JSON.");
    expect(() => parseBundle([])).toThrow(/not a Plugboard bundle/);
    expect(() => parseBundle({ ...fixture(), version: "1" })).toThrow(/no valid "version"/);
    expect(() => parseBundle({ ...fixture(), version: 3 })).toThrow(/version 3, made by a newer Plugboard/);
    expect(() => parseBundle({ ...fixture(), flows: [{ name: "x" }] })).toThrow(/flows\.0\.id/);
  });
});
