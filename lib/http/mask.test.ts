import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostileSecret, leaksIn, secretForms } from "@/lib/testing/secret-leaks";
import { toCurl } from "./curl-format";
import { describeRequest } from "./debug-request";
import { createMasker, MASK } from "./mask";

const basic = (pair: string) => `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;

describe("masking", () => {
  it("masks a secret as written, JSON-escaped, percent-encoded and form-encoded", () => {
    const secret = `a "b"\\c/é+d`;
    const m = createMasker([secret]);
    const texts = {
      raw: `x ${secret} y`,
      json: JSON.stringify({ v: secret }),
      asciiJson: '{"v": "a \\"b\\"\\\\c\\/\\u00E9+d"}',
      percent: `k=${encodeURIComponent(secret)}`,
      lowerPercent: `k=${encodeURIComponent(secret).toLowerCase()}`,
      form: new URLSearchParams({ k: secret }).toString(),
      percentJson: `q=${encodeURIComponent(JSON.stringify(secret))}`,
    };
    for (const [name, text] of Object.entries(texts)) {
      expect(m.text(text), name).toContain(MASK);
      expect(leaksIn([m.text(text)], [secret]), name).toEqual([]);
    }
    expect(m.text(texts.json)).toBe(`{"v":"${MASK}"}`);
  });

  it("looks inside Basic credentials wherever they are, and masks the pair itself", () => {
    const m = createMasker(["pw-123:x"]);
    const header = basic("ada:pw-123:x");
    expect(m.text(header)).toBe(`Basic ${MASK}`);
    // As an echo server shows it, in a JSON body with JSON's escaped slash, and in a form body.
    const token = header.slice(6);
    expect(m.text(`{"Authorization": "basic ${token.replaceAll("/", "\\/")}"}`)).toBe(`{"Authorization": "basic ${MASK}"}`);
    expect(m.text(`h=Basic+${encodeURIComponent(token)}`)).toBe(`h=Basic+${MASK}`);
    expect(createMasker(["other-secret"]).text(header)).toBe(header);
    expect(createMasker(["ada:pw-123"]).text("userinfo ada:pw-123@host")).toBe(`userinfo ${MASK}@host`);
  });

  it("masks the longer of two overlapping secrets whole, and ignores values too short to be secrets", () => {
    expect(createMasker(["abcd", "abcdefgh"]).text("abcdefgh")).toBe(MASK);
    expect(createMasker(["", "abc"]).text("abc abcd")).toBe("abc abcd");
  });

  it("masks strings of a structure before it is serialised, keys included, and keeps the structure", () => {
    // Found in JSON text, this secret spans a closing quote, a comma and an opening quote.
    const secret = 'one","two';
    const m = createMasker([secret]);
    const value = { [`k ${secret}`]: ["one", "two", `${secret}!`], n: 1, nested: { s: secret, ok: true, none: null } };
    expect(m.value(value)).toEqual({ [`k ${MASK}`]: ["one", "two", `${MASK}!`], n: 1, nested: { s: MASK, ok: true, none: null } });
    expect(m.value(["one", "two"])).toEqual(["one", "two"]);
  });

  it("keeps a remote body's __proto__ key as a property of the masked copy, never its prototype", () => {
    const m = createMasker(["s3cret-value"]);
    const masked = m.value(JSON.parse('{"__proto__": {"polluted": "s3cret-value"}, "a": 1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.hasOwn(masked, "__proto__")).toBe(true);
    expect(JSON.stringify(masked)).toBe(`{"__proto__":{"polluted":"${MASK}"},"a":1}`);
  });

  it("reads a secret source on every use, so a value learned later is masked from then on", () => {
    const known = new Set(["first-secret"]);
    const m = createMasker(() => known);
    expect(m.text("second-secret")).toBe("second-secret");
    known.add("second-secret");
    expect(m.text("first-secret second-secret")).toBe(`${MASK} ${MASK}`);
  });

  it("masks a secret that straddles the debug preview's cut", () => {
    const secret = "S".repeat(10);
    const body = Buffer.from(`${"x".repeat(2044)}${secret}${"y".repeat(100)}`);
    const d = describeRequest(
      { method: "POST", url: new URL("https://h.test/p?k=SSSSSSSSSS"), headers: new Headers({ a: "1" }), body },
      createMasker([secret]),
    );
    expect(d.url).toBe(`https://h.test/p?k=${MASK}`);
    expect(d.bodyPreview).not.toContain("SSSS");
    expect(d.bodyPreview).toMatch(/^x{2044}•{4} … \(2154 bytes in all\)$/);
    expect(d.headers).toEqual({ host: "h.test", a: "1", "content-length": "2154" });
  });

  it("masks a secret with a single quote in a cURL command (shell quoting rewrites it)", () => {
    const secret = "it's-a-secret";
    const command = toCurl({ url: "https://x.test/a", headers: [{ key: "X-Note", value: secret }] }, { masker: createMasker([secret]) });
    expect(command).toContain(`-H 'X-Note: ${MASK}'`);
  });
});

describe("masking, property: no encoding of a hostile secret survives", () => {
  // Every way a request or a response can carry the secret, with text around it.
  const carriers = (secret: string, user: string): string[] => [
    ...secretForms(secret).filter((f) => f !== Buffer.from(secret).toString("base64")),
    JSON.stringify({ headers: { Authorization: basic(`${user}:${secret}`) }, args: { key: secret } }),
    `https://api.test/p?key=${encodeURIComponent(secret)}&form=${new URLSearchParams({ s: secret }).toString().slice(2)}`,
    basic(`${user}:${secret}`),
    `${user}:${secret}`,
  ];

  it("Masker.text", () => {
    fc.assert(
      fc.property(
        hostileSecret(),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        fc.stringMatching(/^[a-z]{1,8}$/),
        (secret, before, after, user) => {
          const m = createMasker([secret]);
          const masked = carriers(secret, user).map((c) => m.text(`${before}${c}${after}`));
          expect(leaksIn(masked, [secret])).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("Masker.value, then JSON", () => {
    fc.assert(
      fc.property(hostileSecret(), fc.stringMatching(/^[a-z]{1,8}$/), (secret, user) => {
        const m = createMasker([secret]);
        const value = { body: { echo: secret, list: [secret, `${secret}${secret}`] }, [secret]: carriers(secret, user) };
        expect(leaksIn([JSON.stringify(m.value(value)), JSON.stringify(m.value(value), null, 2)], [secret])).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
