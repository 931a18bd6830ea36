import { describe, expect, it } from "vitest";
import {
  OAuthConfigError,
  OAuthProtocolError,
  OAuthProviderError,
  OAuthTransientError,
  refreshAccessToken,
  requestClientCredentialsToken,
} from "./index";
import { INSECURE, rejection } from "./test-fixtures";
import { createMasker, MASK } from "@/lib/http/mask";

// Canned answers through the `fetch` option: the cases a real server rarely produces on demand.
const config = {
  tokenUrl: "https://auth.example/token",
  clientId: "cid",
  clientSecret: "secret",
  scopes: ["a", "b"],
};

function answering(body: BodyInit | null, init: ResponseInit = {}): typeof fetch {
  return (async () => new Response(body, init)) as typeof fetch;
}

const json = (obj: unknown, status = 200, headers: Record<string, string> = {}) =>
  answering(JSON.stringify(obj), { status, headers: { "content-type": "application/json", ...headers } });

describe("error classification", () => {
  it.each([500, 502, 503])("HTTP %i is transient", async (status) => {
    const err = await rejection(requestClientCredentialsToken(config, { fetch: answering("<html>down</html>", { status }) }));
    expect(err).toBeInstanceOf(OAuthTransientError);
    expect(err).toMatchObject({ reason: "server_error", status });
    expect(err.message).toBe(`The provider answered HTTP ${status} to the client credentials; try again later`);
  });

  it("a fetch failure caused by the address guard is not transient (never retried)", async () => {
    const guard = Object.assign(new Error("refused by the address guard: 10.0.0.1 is a private address"), { code: "ERR_ADDRESS_GUARD" });
    const refusing = (async () => {
      throw new TypeError("fetch failed", { cause: guard });
    }) as typeof fetch;
    const err = await rejection(requestClientCredentialsToken(config, { fetch: refusing }));
    expect(err).not.toBeInstanceOf(OAuthTransientError);
    const network = (async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    }) as typeof fetch;
    expect(await rejection(requestClientCredentialsToken(config, { fetch: network }))).toBeInstanceOf(OAuthTransientError);
  });

  it("HTTP 429 is transient (rate limited)", async () => {
    const err = await rejection(requestClientCredentialsToken(config, { fetch: json({ error: "slow_down" }, 429) }));
    expect(err).toMatchObject({ name: "OAuthTransientError", reason: "rate_limited", status: 429 });
  });

  it("temporarily_unavailable in an error body is transient", async () => {
    const err = await rejection(requestClientCredentialsToken(config, { fetch: json({ error: "temporarily_unavailable" }, 400) }));
    expect(err).toMatchObject({ name: "OAuthTransientError", status: 400 });
  });

  it("a 401 with a WWW-Authenticate challenge is a provider error", async () => {
    const fetch = json({ error: "invalid_client", error_description: "client authentication failed" }, 401, {
      "www-authenticate": 'Basic realm="x"',
    });
    const err = await rejection(requestClientCredentialsToken(config, { fetch }));
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err).toMatchObject({ error: "invalid_client", errorDescription: "client authentication failed", status: 401 });
  });

  it("masks what the call sent, and the caller's secrets, in the provider's words; keeps no raw cause", async () => {
    const secret = 'se"cr\\et/é';
    const echo = `refused ${secret}, ${encodeURIComponent(secret)}, rt-0123456789, caller-secret-42`;
    const fetch = json({ error: "invalid_client", error_description: echo }, 401, { "www-authenticate": 'Basic realm="x"' });
    const masker = createMasker(["caller-secret-42"]);
    const err = await rejection(
      refreshAccessToken({ ...config, clientSecret: secret, authorizeUrl: "https://auth.example/authorize" }, "rt-0123456789", { fetch, masker }),
    );
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect((err as OAuthProviderError).errorDescription).toBe(`refused ${MASK}, ${MASK}, ${MASK}, ${MASK}`);
    expect(err.message).toBe(`The provider refused the refresh token (invalid_client: refused ${MASK}, ${MASK}, ${MASK}, ${MASK})`);
    expect(err.cause).toBeUndefined();
  });

  it("invalid_grant on refresh reads as words and flags reauthorization", async () => {
    const fetch = json({ error: "invalid_grant", error_description: "Token has been expired or revoked." }, 400);
    const err = await rejection(refreshAccessToken({ ...config, authorizeUrl: "https://auth.example/authorize" }, "rt", { fetch }));
    expect(err.message).toBe("The provider refused the refresh token (invalid_grant: Token has been expired or revoked.)");
    expect((err as OAuthProviderError).isInvalidGrant).toBe(true);
  });

  it.each([
    ["a 4xx that is not OAuth", answering("Not Found", { status: 404 }), /HTTP 404/],
    ["HTML instead of JSON", answering("<html>", { status: 200, headers: { "content-type": "text/html" } }), /not usable/],
    ["no access_token", json({ token_type: "bearer" }), /access_token/],
    ["an unknown token type", json({ access_token: "x", token_type: "mac" }), /not supported/],
  ])("%s is a protocol error", async (_name, fetch, message) => {
    const err = await rejection(requestClientCredentialsToken(config, { fetch }));
    expect(err).toBeInstanceOf(OAuthProtocolError);
    expect(err.message).toMatch(message);
  });

  it("a request that outlives timeoutMs is transient", async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof fetch;
    const err = await rejection(requestClientCredentialsToken(config, { fetch: hanging, timeoutMs: 50 }));
    expect(err).toMatchObject({ name: "OAuthTransientError", reason: "timeout" });
    expect(err.message).toBe("auth.example did not answer within 0.05 s");
  });

  it("errors of the given fetch itself (e.g. an SSRF guard) pass through unchanged", async () => {
    class BlockedError extends Error {}
    const guarded = (async () => {
      throw new BlockedError("destination not allowed");
    }) as typeof fetch;
    const err = await rejection(requestClientCredentialsToken(config, { fetch: guarded }));
    expect(err).toBeInstanceOf(BlockedError);
  });

  it("refuses http:// token endpoints unless allowed", async () => {
    const insecure = { ...config, tokenUrl: "http://auth.example/token" };
    const fetch = json({ access_token: "x", token_type: "bearer" });
    await expect(requestClientCredentialsToken(insecure, { fetch })).rejects.toBeInstanceOf(OAuthConfigError);
    await expect(requestClientCredentialsToken(insecure, { ...INSECURE, fetch })).resolves.toMatchObject({ accessToken: "x" });
  });
});

describe("token set", () => {
  it("splits granted scopes on spaces and commas and computes expiresAt", async () => {
    const before = Date.now();
    const set = await requestClientCredentialsToken(
      { ...config, scopeSeparator: "," },
      { fetch: json({ access_token: "x", token_type: "Bearer", expires_in: "3600", scope: "a,b c" }) },
    );
    expect(set.scope).toEqual(["a", "b", "c"]);
    expect(set.tokenType).toBe("bearer");
    expect(set.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(set.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  it("falls back to the requested scopes and leaves expiresAt unset when the provider is silent", async () => {
    const set = await requestClientCredentialsToken(config, { fetch: json({ access_token: "x", token_type: "bearer" }) });
    expect(set).toMatchObject({ scope: ["a", "b"], expiresAt: undefined });
  });
});
