import { afterEach, describe, expect, it, vi } from "vitest";
import { findChromium, findHttpbin, HTTPBIN_PYTHON, isDebianRelease, locateTool, planTool } from "./system-tools";

const debianRoot = { isRoot: true, isDebian: true };
const debianUser = { isRoot: false, isDebian: true };
const otherRoot = { isRoot: true, isDebian: false };

describe("planTool", () => {
  it("uses what was found, whoever runs it", () => {
    expect(planTool("chromium", "/usr/bin/chromium", debianUser, true)).toEqual({ action: "use", value: "/usr/bin/chromium" });
  });

  it("installs Debian's package when missing, as root on Debian", () => {
    expect(planTool("chromium", undefined, debianRoot, true)).toEqual({ action: "install", aptPackage: "chromium" });
    expect(planTool("httpbin", undefined, debianRoot, true)).toEqual({ action: "install", aptPackage: "python3-httpbin" });
    expect(planTool("authlib", undefined, debianRoot, true)).toEqual({ action: "install", aptPackage: "python3-authlib" });
  });

  it("does not install when the caller may not (a runner started directly), but names the command", () => {
    const plan = planTool("httpbin", undefined, debianRoot, false);
    expect(plan).toEqual({
      action: "stop",
      message: "httpbin not found: run `apt-get update && apt-get install -y python3-httpbin`, or set HTTPBIN_URL",
    });
  });

  it("stops with the sudo command for a user on Debian", () => {
    const plan = planTool("chromium", undefined, debianUser, true);
    expect(plan).toEqual({
      action: "stop",
      message: "Chromium not found: run `sudo apt-get update && sudo apt-get install -y chromium`, or set CHROMIUM_PATH",
    });
  });

  it("stops with the way that works elsewhere off Debian, even as root", () => {
    const chromium = planTool("chromium", undefined, otherRoot, true);
    expect(chromium).toEqual({ action: "stop", message: expect.stringContaining("npx playwright install chromium") });
    const httpbin = planTool("httpbin", undefined, otherRoot, true);
    expect(httpbin).toEqual({ action: "stop", message: expect.stringContaining("HTTPBIN_URL=") });
    for (const plan of [chromium, httpbin]) if (plan.action === "stop") expect(plan.message).not.toContain("\n");
  });
});

describe("findChromium", () => {
  const only =
    (...paths: string[]) =>
    (p: string) =>
      paths.includes(p);
  const playwrightChromium = "/root/.cache/ms-playwright/chromium-1/chrome-linux/chrome";

  it("takes CHROMIUM_PATH first, and refuses one that does not exist", () => {
    const exists = only("/opt/chrome", playwrightChromium, "/usr/bin/chromium");
    expect(findChromium({ configured: "/opt/chrome", playwrightChromium, exists })).toEqual({ path: "/opt/chrome" });
    expect(findChromium({ configured: "/nope", playwrightChromium, exists })).toEqual({ error: "CHROMIUM_PATH=/nope does not exist" });
  });

  it("prefers Playwright's own browser to a system one", () => {
    const exists = only(playwrightChromium, "/usr/bin/chromium");
    expect(findChromium({ configured: undefined, playwrightChromium, exists })).toEqual({ path: playwrightChromium });
  });

  it("falls back to the system Chromiums in order, and finds nothing when none is there", () => {
    expect(findChromium({ configured: undefined, playwrightChromium, exists: only("/usr/bin/google-chrome", "/usr/bin/chromium-browser") })).toEqual({
      path: "/usr/bin/chromium-browser",
    });
    expect(findChromium({ configured: undefined, playwrightChromium: undefined, exists: () => false })).toEqual({ path: undefined });
  });
});

describe("findHttpbin", () => {
  it("takes HTTPBIN_URL first, then Debian's module", () => {
    expect(findHttpbin({ configuredUrl: "http://127.0.0.1:8080", pythonHasHttpbin: true })).toBe("http://127.0.0.1:8080");
    expect(findHttpbin({ configuredUrl: undefined, pythonHasHttpbin: true })).toBe(HTTPBIN_PYTHON);
    expect(findHttpbin({ configuredUrl: undefined, pythonHasHttpbin: false })).toBeUndefined();
  });
});

describe("isDebianRelease", () => {
  it("is true for Debian only, not its derivatives", () => {
    expect(isDebianRelease('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\n')).toBe(true);
    expect(isDebianRelease('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n')).toBe(false);
    expect(isDebianRelease("")).toBe(false);
  });
});

describe("locateTool", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("reports what the variables name on this machine", () => {
    vi.stubEnv("CHROMIUM_PATH", process.execPath); // any file that exists
    expect(locateTool("chromium")).toEqual({ found: process.execPath, error: undefined });
    vi.stubEnv("CHROMIUM_PATH", "/nonexistent/chromium");
    expect(locateTool("chromium")).toEqual({ found: undefined, error: "CHROMIUM_PATH=/nonexistent/chromium does not exist" });
    vi.stubEnv("HTTPBIN_URL", "http://127.0.0.1:9");
    expect(locateTool("httpbin")).toEqual({ found: "http://127.0.0.1:9" });
    vi.stubEnv("AUTHLIB_PYTHON", "/opt/venv/bin/python3");
    expect(locateTool("authlib")).toEqual({ found: "/opt/venv/bin/python3" });
  });
});
