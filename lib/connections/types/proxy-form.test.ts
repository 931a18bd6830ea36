import { describe, expect, it } from "vitest";
import { splitInput } from "../config";
import { connectionInputSchema } from "../schemas";
import { connectionProxyOf } from "./proxy";

const apiKey = { type: "api_key", name: "p", apiKey: "k-123", testUrl: "https://api.example.com/me" } as const;

describe("a connection's Proxy", () => {
  it("keeps the proxy's user name and password in the encrypted secrets, the mode and URL in the config", () => {
    const input = connectionInputSchema.parse({
      ...apiKey,
      proxyMode: "custom",
      proxyUrl: "http://proxy.corp.example:3128",
      proxyUsername: "proxy-user",
      proxyPassword: "proxy-s3cret",
    });
    const { config, secrets } = splitInput(input);
    expect(secrets).toMatchObject({ proxyUsername: "proxy-user", proxyPassword: "proxy-s3cret" });
    expect(JSON.stringify(config)).not.toMatch(/proxy-user|proxy-s3cret/);
    expect(config).toMatchObject({ proxyMode: "custom", proxyUrl: "http://proxy.corp.example:3128" });
    expect(connectionProxyOf(config, secrets)).toEqual({
      mode: "custom",
      url: "http://proxy.corp.example:3128",
      username: "proxy-user",
      password: "proxy-s3cret",
    });
  });

  it("defaults to the instance proxy, and a stored 'none' stays none", () => {
    const { config, secrets } = splitInput(connectionInputSchema.parse(apiKey));
    expect(connectionProxyOf(config, secrets)).toEqual({ mode: "default" });
    expect(connectionProxyOf({ proxyMode: "none" }, {})).toEqual({ mode: "none" });
  });

  it("names the field to fix: a proxy URL is needed, credentials go in their fields and with a URL only", () => {
    const issues = (values: Record<string, string>) => {
      const parsed = connectionInputSchema.safeParse({ ...apiKey, ...values });
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({ proxyMode: "custom" })).toEqual(["proxyUrl: Enter the proxy's URL, like http://proxy.corp.example:3128"]);
    expect(issues({ proxyMode: "custom", proxyUrl: "http://u:p@proxy.test:3128" })[0]).toMatch(
      /^proxyUrl: Put the proxy's user name and password in their own fields/,
    );
    expect(issues({ proxyMode: "custom", proxyUrl: "socks5://proxy.test:1080" })[0]).toMatch(/^proxyUrl: Enter an http:\/\/ or https:\/\/ proxy URL/);
    expect(issues({ proxyMode: "default", proxyPassword: "x" })[0]).toMatch(/^proxyUsername: Proxy credentials go with a proxy URL/);
  });
});
