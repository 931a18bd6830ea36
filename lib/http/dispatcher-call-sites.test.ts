import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every outbound call of a connection or a request goes through getDispatcher (the guard, the proxy, the TLS
 * options). This keeps it so: server code that opens its own HTTP client, or calls out without a dispatcher
 * from the factory, fails here and must either use the factory or be listed below with its reason.
 */
const ROOTS = ["lib", "app", "instrumentation.ts", "proxy.ts"];

// Files allowed to build clients: the factory itself and the proxy routing it returns.
const CLIENT_FACTORIES = new Set(["lib/http/dispatcher.ts", "lib/http/proxy/proxied-dispatcher.ts"]);

// Files allowed to send (undici's request/fetch/dispatch): each passes a dispatcher it got from getDispatcher.
const SENDERS = new Set([
  "lib/http/incoming-response.ts", // sendRequest: the executor's dispatcher (getDispatcher in lib/http/execute.ts), every hop
  "lib/connections/oauth-transport.ts", // guardedFetch: oauth4webapi's customFetch for token, refresh, revocation, discovery
]);

// Test-only helpers (not shipped code paths) that talk to local peers.
const TEST_ONLY = /(\.test\.ts$|\/testing\/|^lib\/oauth-client\/test-fixtures\.ts$)/;

const CLIENT_CONSTRUCTION =
  /new\s+(Agent|Pool|Client|ProxyAgent|EnvHttpProxyAgent|RetryAgent|BalancedPool|Socks5ProxyAgent|http\.Agent|https\.Agent)\b|setGlobalDispatcher|buildConnector\(/;
const SENDING =
  /\b(undiciFetch|fetch|request|stream|pipeline|connect|dispatch)\s*\(|from\s+"node:(http|https|http2|net|tls)"|require\("node:(http|https)"\)/;

function sourceFiles(entry: string): string[] {
  if (entry.endsWith(".ts") || entry.endsWith(".tsx")) return [entry];
  return readdirSync(entry, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(entry, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(d.name) ? [full] : [];
  });
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** Server files that import undici or Node's network modules, or call a global fetch. */
function networkFiles(): { file: string; text: string }[] {
  return ROOTS.flatMap(sourceFiles)
    .filter((file) => !TEST_ONLY.test(file))
    .map((file) => ({ file, text: withoutComments(readFileSync(file, "utf8")) }))
    .filter(({ text }) => !text.startsWith('"use client"') && /from\s+"undici"|from\s+"node:(http|https|http2)"|\bfetch\s*\(/.test(text));
}

describe("outbound HTTP call sites", () => {
  it("only the dispatcher factory constructs HTTP clients", () => {
    const builders = networkFiles()
      .filter(({ text }) => CLIENT_CONSTRUCTION.test(text))
      .map(({ file }) => file);
    expect(builders.sort()).toEqual([...CLIENT_FACTORIES].sort());
  });

  it("only known senders send, and each one takes its dispatcher from the factory", () => {
    const senders = networkFiles()
      .filter(({ file, text }) => !CLIENT_FACTORIES.has(file) && SENDING.test(text.replace(/import[^;]+;/g, "")))
      .map(({ file }) => file);
    expect(senders.sort()).toEqual([...SENDERS].sort());
    for (const file of SENDERS) {
      const text = readFileSync(file, "utf8");
      expect(text, file).toMatch(/dispatcher/);
      if (file !== "lib/http/incoming-response.ts") expect(text, file).toMatch(/getDispatcher\(/);
    }
  });
});
