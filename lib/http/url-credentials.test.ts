import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedHosts } from "./address-guard";
import { closeHttpAgents } from "./dispatcher";
import { executeHttpRequest } from "./execute";
import { MASK, NO_SECRETS } from "./mask";
import { startLocalServer, type LocalServer } from "./testing/local-server";
import { urlWithoutCredentials } from "./url-credentials";

describe("urlWithoutCredentials", () => {
  it("drops userinfo and masks credential parameters, keeping every other byte", () => {
    expect(urlWithoutCredentials("https://ada:pa%3Ass@api.test/x?a=1%202&access_token=t0k&b=c+d#frag")).toBe(
      `https://api.test/x?a=1%202&access_token=${MASK}&b=c+d#frag`,
    );
    expect(urlWithoutCredentials("https://api.test/cb#access_token=abc&state=s")).toBe(`https://api.test/cb#access_token=${MASK}&state=s`);
    expect(urlWithoutCredentials("https://api.test/?Api%5FKey=k&REFRESH_TOKEN=r", ["api_key"])).toBe(
      `https://api.test/?Api%5FKey=${MASK}&REFRESH_TOKEN=${MASK}`,
    );
    expect(urlWithoutCredentials("https://api.test/plain?q=1")).toBe("https://api.test/plain?q=1");
    expect(urlWithoutCredentials("not a url")).toBe("not a url");
  });
});

describe("a redirect whose Location carries credentials", () => {
  let server: LocalServer;
  const USER_INFO_PASSWORD = "loc-pass-93ab";
  const TOKEN = "loc-token-51cd";
  const KEY = "loc-key-77ef";

  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url === "/start") {
        const target = `http://someone:${USER_INFO_PASSWORD}@127.0.0.1:${server.port}/final?access_token=${TOKEN}&key=${KEY}&page=2`;
        res.writeHead(302, { location: target }).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url }));
    });
  });
  afterAll(async () => {
    await server.close();
    await closeHttpAgents();
  });

  it("is followed, but the final URL, the hops and the debug request show no credential", async () => {
    const provider = { allowedHosts: ["127.0.0.1"], apply: async () => {}, masker: NO_SECRETS, credentialQueryParams: ["key"] };
    const r = await executeHttpRequest({ url: `${server.url}/start`, debug: true }, { allowedTargets: parseAllowedHosts("127.0.0.1"), provider });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.output).toEqual({ path: `/final?access_token=${TOKEN}&key=${KEY}&page=2` });
    expect(r.url).toBe(`${server.url}/final?access_token=${MASK}&key=${MASK}&page=2`);
    expect(r.redirects).toEqual([
      { url: `${server.url}/start`, status: 302, location: `${server.url}/final?access_token=${MASK}&key=${MASK}&page=2` },
    ]);
    const shown = JSON.stringify({ url: r.url, redirects: r.redirects, requests: r.requests });
    for (const secret of [USER_INFO_PASSWORD, "someone", TOKEN, KEY]) expect(shown).not.toContain(secret);
  });
});
