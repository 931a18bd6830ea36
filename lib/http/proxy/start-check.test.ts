import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkProxyEnvironment, ProxyConfigError } from "./proxy-plan";

describe("proxy variables checked at start-up", () => {
  it("names the variable and the bad value; good values pass", () => {
    expect(() => checkProxyEnvironment({ HTTPS_PROXY: "http://proxy.internal:3128", NO_PROXY: ".corp,10.0.0.0/8,localhost:8080,*" })).not.toThrow();
    expect(() => checkProxyEnvironment({})).not.toThrow();
    expect(() => checkProxyEnvironment({ NO_PROXY: "ok.example, 10.0.0.0/99" })).toThrow(ProxyConfigError);
    expect(() => checkProxyEnvironment({ NO_PROXY: "ok.example, 10.0.0.0/99" })).toThrow(/NO_PROXY: "10\.0\.0\.0\/99"/);
    expect(() => checkProxyEnvironment({ PLUGBOARD_PROXY_RESOLVE: "remote" })).toThrow(
      /PLUGBOARD_PROXY_RESOLVE must be "proxy" or "local", not "remote"/,
    );
    expect(() => checkProxyEnvironment({ HTTPS_PROXY: "socks5://proxy:1080" })).toThrow(/HTTPS_PROXY must be an http:\/\/ or https:\/\/ proxy URL/);
  });

  it("npm start's script refuses to start with a bad NO_PROXY, in one line, before building", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/start.ts"], {
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        DATABASE_URL: "postgres://nobody:nothing@127.0.0.1:1/none",
        AUTH_SECRET: "start-check-auth-secret-that-is-long-enough-0123",
        PLUGBOARD_ENCRYPTION_KEY: "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        NO_PROXY: "intranet.example,300.1.2.3/8",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('[plugboard] cannot start: NO_PROXY: "300.1.2.3/8" is not a host name, .domain, IP address, CIDR or host:port');
    expect(run.stdout).not.toContain("building");
  });
});
