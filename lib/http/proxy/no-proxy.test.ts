import { describe, expect, it } from "vitest";
import { bypassesProxy, parseNoProxy } from "./no-proxy";

const bypass = (noProxy: string, url: string) => bypassesProxy(new URL(url), parseNoProxy(noProxy));

describe("NO_PROXY as curl reads it", () => {
  it("matches a name, its sub-domains, never a look-alike", () => {
    for (const entry of ["ample.com", ".ample.com", "*.ample.com", "AMPLE.com."]) {
      expect(bypass(entry, "https://ample.com/"), entry).toBe(true);
      expect(bypass(entry, "https://www.ample.com:8443/"), entry).toBe(true);
      expect(bypass(entry, "https://www.example.com/"), entry).toBe(false);
      expect(bypass(entry, "https://ample.com.org/"), entry).toBe(false);
    }
  });

  it("'*' alone turns the proxy off; an empty list keeps it for everything", () => {
    expect(bypass("*", "http://anything.test/")).toBe(true);
    expect(bypass("", "http://anything.test/")).toBe(false);
  });

  it("matches IP literals and CIDRs (IPv4 and IPv6), never a name by its address", () => {
    expect(bypass("10.0.0.0/8, ::1", "http://10.20.30.40/")).toBe(true);
    expect(bypass("10.0.0.0/8", "http://11.0.0.1/")).toBe(false);
    expect(bypass("::1", "http://[::1]:8080/")).toBe(true);
    expect(bypass("fd00::/8", "http://[fd12::1]/")).toBe(true);
    expect(bypass("127.0.0.1", "http://localhost/")).toBe(false);
  });

  it("host:port matches that port only, the scheme's default port counting", () => {
    expect(bypass("api.test:8080", "http://api.test:8080/")).toBe(true);
    expect(bypass("api.test:8080", "http://api.test/")).toBe(false);
    expect(bypass("api.test:443", "https://api.test/")).toBe(true);
    expect(bypass("127.0.0.1:80", "http://127.0.0.1/")).toBe(true);
    expect(bypass("[::1]:80", "http://[::1]:81/")).toBe(false);
  });

  it("says which entries it cannot read", () => {
    expect(() => parseNoProxy("ok.test, 10.0.0.0/40, http://x")).toThrow('NO_PROXY: "10.0.0.0/40", "http://x"');
  });
});
