import { describe, expect, it } from "vitest";
import { httpbinUrl } from "@/lib/http/testing/local-server";
import { buildAuthorizationRequest } from "./authorization-code";
import { requestClientCredentialsToken } from "./token-grants";
import { INSECURE } from "./test-fixtures";

type Echo = { args: Record<string, string>; form: Record<string, string>; data: string };

/**
 * What a provider receives, read by a form decoder nobody here wrote (httpbin's werkzeug): the token
 * request goes to httpbin's /anything, whose echo is kept; the client is then given a token answer.
 */
async function tokenRequestSeenByPeer(scopeSeparator: " " | "," | "+"): Promise<Echo> {
  let echo: Echo | undefined;
  const relay = (async (_url: string | URL | Request, init?: RequestInit) => {
    const peer = await fetch(`${httpbinUrl()}/anything/token`, { method: "POST", headers: init?.headers, body: init?.body });
    echo = (await peer.json()) as Echo;
    return Response.json({ access_token: "t", token_type: "Bearer" });
  }) as typeof fetch;
  await requestClientCredentialsToken(
    { tokenUrl: `${httpbinUrl()}/anything/token`, clientId: "cid", clientSecret: "s", scopes: ["read", "write"], scopeSeparator },
    { ...INSECURE, fetch: relay },
  );
  if (!echo) throw new Error("the token request never reached the peer");
  return echo;
}

describe("scope separator on the wire", () => {
  it("plus sends a literal + between scopes in the token request (encoded %2B), not a space", async () => {
    const plus = await tokenRequestSeenByPeer("+");
    expect(plus.form.scope).toBe("read+write");
    const space = await tokenRequestSeenByPeer(" ");
    expect(space.form.scope).toBe("read write");
    expect((await tokenRequestSeenByPeer(",")).form.scope).toBe("read,write");
  });

  it("plus sends a literal + between scopes in the authorization URL", async () => {
    const base = {
      authorizeUrl: `${httpbinUrl()}/anything/authorize`,
      tokenUrl: `${httpbinUrl()}/token`,
      clientId: "cid",
      clientSecret: "s",
      scopes: ["read", "write"],
    };
    const plus = await buildAuthorizationRequest({ ...base, scopeSeparator: "+" }, { redirectUri: "http://127.0.0.1/cb" }, INSECURE);
    expect(plus.url).toContain("scope=read%2Bwrite");
    const seen = (await (await fetch(plus.url)).json()) as Echo;
    expect(seen.args.scope).toBe("read+write");
    const space = await buildAuthorizationRequest({ ...base, scopeSeparator: " " }, { redirectUri: "http://127.0.0.1/cb" }, INSECURE);
    expect(((await (await fetch(space.url)).json()) as Echo).args.scope).toBe("read write");
  });
});
