import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/**
 * The programs the tests take from the system rather than from npm: Chromium (Playwright cannot
 * download its own browser builds here), Debian's httpbin (a real HTTP peer), and the Python libraries the
 * independent peers are built on: Authlib (JWT bearer and password grants), botocore (AWS SigV4) and oauthlib
 * (OAuth 1.0a). Deciding what to do
 * is a pure function of a few facts about the host, so every branch is unit-tested without
 * uninstalling anything; only `ensureSystemTools` acts on the decision.
 */

export type ToolName = "chromium" | "httpbin" | "authlib" | "botocore" | "oauthlib" | "tinyproxy" | "stunnel" | "curl";

interface ToolSpec {
  label: string;
  /** The variable that points the tests at an existing one instead. */
  variable: string;
  aptPackage: string;
  /** What to run off Debian, where we cannot name the package. */
  elsewhere: string;
  /** A program found at this path when the variable is not set (where Debian's package puts it). */
  binary?: string;
}

export const SYSTEM_TOOLS = {
  chromium: {
    label: "Chromium",
    variable: "CHROMIUM_PATH",
    aptPackage: "chromium",
    elsewhere: "run `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium binary",
  },
  httpbin: {
    label: "httpbin",
    variable: "HTTPBIN_URL",
    aptPackage: "python3-httpbin",
    elsewhere: "start an httpbin on this machine and set HTTPBIN_URL=http://127.0.0.1:<port>",
  },
  /** The OAuth peer for the JWT bearer and password grants (e2e/support/authlib-server.ts). */
  authlib: {
    label: "Authlib",
    variable: "AUTHLIB_PYTHON",
    aptPackage: "python3-authlib",
    elsewhere: "`pip install authlib` into a python3 and set AUTHLIB_PYTHON to that interpreter",
  },
  /** The independent AWS Signature V4 verifier (e2e/support/aws-sigv4-peer.py). */
  botocore: {
    label: "botocore",
    variable: "BOTOCORE_PYTHON",
    aptPackage: "python3-botocore",
    elsewhere: "`pip install botocore` into a python3 and set BOTOCORE_PYTHON to that interpreter",
  },
  /** The OAuth 1.0a resource server (e2e/support/oauth1-resource-server.py). */
  oauthlib: {
    label: "oauthlib",
    variable: "OAUTHLIB_PYTHON",
    aptPackage: "python3-oauthlib",
    elsewhere: "`pip install oauthlib` into a python3 and set OAUTHLIB_PYTHON to that interpreter",
  },
  /** The HTTP proxy peer (e2e/support/tinyproxy.ts): proxied calls are counted in its log. */
  tinyproxy: {
    label: "tinyproxy",
    variable: "TINYPROXY_PATH",
    aptPackage: "tinyproxy",
    elsewhere: "install tinyproxy (https://tinyproxy.github.io) and set TINYPROXY_PATH to its binary",
    binary: "/usr/bin/tinyproxy",
  },
  /** TLS in front of tinyproxy, the https:// proxy peer (e2e/support/tls-proxy.ts): tinyproxy speaks no TLS itself. */
  stunnel: {
    label: "stunnel",
    variable: "STUNNEL_PATH",
    aptPackage: "stunnel4",
    elsewhere: "install stunnel (https://www.stunnel.org) and set STUNNEL_PATH to its binary",
    binary: "/usr/bin/stunnel4",
  },
  /** The download client of the downloads bench (bench/cases/downloads.ts): reads faster than node:http here. */
  curl: {
    label: "curl",
    variable: "CURL_PATH",
    aptPackage: "curl",
    elsewhere: "install curl (https://curl.se) and set CURL_PATH to its binary",
    binary: "/usr/bin/curl",
  },
} as const satisfies Record<ToolName, ToolSpec>;

/** Where we look for a system Chromium, after CHROMIUM_PATH and Playwright's own browser. */
export const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** Debian's python3-httpbin installs into this interpreter; another python3 on PATH may not have it. */
export const HTTPBIN_PYTHON = "/usr/bin/python3";

export interface HostFacts {
  isRoot: boolean;
  isDebian: boolean;
}

export type ToolPlan = { action: "use"; value: string } | { action: "install"; aptPackage: string } | { action: "stop"; message: string };

/**
 * What to do about one tool: use what was found, install Debian's package (only when allowed, as
 * root on Debian), or stop with one line saying exactly what to run.
 */
export function planTool(name: ToolName, found: string | undefined, host: HostFacts, mayInstall: boolean): ToolPlan {
  const tool = SYSTEM_TOOLS[name];
  if (found) return { action: "use", value: found };
  if (host.isDebian && host.isRoot && mayInstall) return { action: "install", aptPackage: tool.aptPackage };
  const fix = host.isDebian
    ? `run \`${host.isRoot ? "" : "sudo "}apt-get update && ${host.isRoot ? "" : "sudo "}apt-get install -y ${tool.aptPackage}\`, or set ${tool.variable}`
    : tool.elsewhere;
  return { action: "stop", message: `${tool.label} not found: ${fix}` };
}

/** CHROMIUM_PATH (which must exist), then Playwright's own browser, then a system Chromium. */
export function findChromium(facts: { configured: string | undefined; playwrightChromium: string | undefined; exists: (path: string) => boolean }): {
  path?: string;
  error?: string;
} {
  if (facts.configured) {
    return facts.exists(facts.configured) ? { path: facts.configured } : { error: `CHROMIUM_PATH=${facts.configured} does not exist` };
  }
  const candidates = [facts.playwrightChromium, ...SYSTEM_CHROMIUMS].filter((p): p is string => !!p);
  return { path: candidates.find((p) => facts.exists(p)) };
}

/** HTTPBIN_URL when set (an httpbin the caller runs), else Debian's httpbin module when importable. */
export function findHttpbin(facts: { configuredUrl: string | undefined; pythonHasHttpbin: boolean }): string | undefined {
  return facts.configuredUrl || (facts.pythonHasHttpbin ? HTTPBIN_PYTHON : undefined);
}

/** Parses /etc/os-release: Debian itself (its derivatives package Chromium differently). */
export function isDebianRelease(osRelease: string): boolean {
  return /^ID="?debian"?$/m.test(osRelease);
}

export function hostFacts(): HostFacts {
  let osRelease = "";
  try {
    osRelease = readFileSync("/etc/os-release", "utf8");
  } catch {
    // Not Linux, or a minimal image without it: treated as "not Debian".
  }
  return { isRoot: process.getuid?.() === 0, isDebian: isDebianRelease(osRelease) && existsSync("/usr/bin/apt-get") };
}

/** Facts about the running machine for one tool; `playwrightChromium` comes from the caller's Playwright. */
export function locateTool(name: ToolName, playwrightChromium?: string): { found?: string; error?: string } {
  if (name === "chromium") {
    const chromium = findChromium({ configured: process.env.CHROMIUM_PATH, playwrightChromium, exists: existsSync });
    return { found: chromium.path, error: chromium.error };
  }
  const tool: ToolSpec = SYSTEM_TOOLS[name];
  if (tool.binary) {
    const { variable, binary } = tool;
    const configured = process.env[variable];
    if (configured) return existsSync(configured) ? { found: configured } : { error: `${variable}=${configured} does not exist` };
    return { found: existsSync(binary) ? binary : undefined };
  }
  if (name === "authlib" || name === "botocore" || name === "oauthlib") {
    return { found: process.env[SYSTEM_TOOLS[name].variable] || (pythonHas(name) ? HTTPBIN_PYTHON : undefined) };
  }
  return { found: findHttpbin({ configuredUrl: process.env.HTTPBIN_URL, pythonHasHttpbin: pythonHas("httpbin") }) };
}

/** Whether Debian's python3 can import the module (Debian's python3-* packages install there). */
function pythonHas(module: string): boolean {
  try {
    execFileSync(HTTPBIN_PYTHON, ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The tool's location, or an Error whose message is the one line to show (no install attempted). */
export function requireTool(name: ToolName, playwrightChromium?: string): string {
  const located = locateTool(name, playwrightChromium);
  if (located.error) throw new Error(located.error);
  const plan = planTool(name, located.found, hostFacts(), false);
  if (plan.action === "use") return plan.value;
  throw new Error(plan.action === "stop" ? plan.message : `${SYSTEM_TOOLS[name].label} not found`);
}

/**
 * Finds each tool, installs the missing ones with apt (root on Debian) in one go, and returns where
 * each one is. Throws an Error with a one-line message when a tool is missing and cannot be installed.
 */
export async function ensureSystemTools(
  names: ToolName[],
  opts: { playwrightChromium?: string; log: (line: string) => void },
): Promise<Partial<Record<ToolName, string>>> {
  const host = hostFacts();
  const found: Partial<Record<ToolName, string>> = {};
  const toInstall: { name: ToolName; aptPackage: string }[] = [];
  for (const name of names) {
    const located = locateTool(name, opts.playwrightChromium);
    if (located.error) throw new Error(located.error);
    const plan = planTool(name, located.found, host, true);
    if (plan.action === "stop") throw new Error(plan.message);
    if (plan.action === "install") toInstall.push({ name, aptPackage: plan.aptPackage });
    else found[name] = plan.value;
  }
  if (toInstall.length > 0) {
    const packages = toInstall.map((t) => t.aptPackage);
    opts.log(`installing Debian's ${packages.join(", ")} (apt-get)`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    await run("apt-get", ["update", "-qq"], aptEnv);
    await run("apt-get", ["install", "-y", "-qq", ...packages], aptEnv);
    for (const { name } of toInstall) {
      const located = locateTool(name, opts.playwrightChromium);
      if (!located.found) throw new Error(`${SYSTEM_TOOLS[name].label} still not found after apt-get install ${SYSTEM_TOOLS[name].aptPackage}`);
      found[name] = located.found;
    }
  }
  return found;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"], env });
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}
