import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { OAuthProviderError, requestClientCredentialsToken } from "./index";
import { callResource, clientCredentialsConfig, INSECURE, rejection } from "./test-fixtures";

let server: OAuthTestServer;
beforeAll(async () => {
  server = await startOAuthTestServer();
});
afterAll(() => server?.stop());

const lastTokenCall = () => server.events.filter((e) => e.type === "token").at(-1);

describe("requestClientCredentialsToken", () => {
  it.each(["clientCredentialsBasic", "clientCredentialsPost"] as const)("gets a usable token with %s", async (which) => {
    const before = server.countGrants("client_credentials");
    const tokens = await requestClientCredentialsToken(clientCredentialsConfig(server, which), INSECURE);
    expect(server.countGrants("client_credentials")).toBe(before + 1);
    expect(tokens).toMatchObject({ tokenType: "bearer", scope: ["read:things"], refreshToken: undefined });
    expect(lastTokenCall()).toMatchObject({ clientAuth: server.clients[which].clientAuth, status: 200 });

    const res = await callResource(server.resourceUrl, tokens.accessToken);
    expect(res.status).toBe(200);
    expect((await res.json()).token).toMatchObject({ clientId: server.clients[which].clientId, scope: "read:things" });
  });

  it("sends extra token parameters, custom headers and all scopes", async () => {
    const config = clientCredentialsConfig(server, "clientCredentialsPost", {
      scopes: ["read:things", "write:things"],
      extraTokenParams: { audience: "https://api.example", team: "blue" },
      tokenRequestHeaders: { "X-Api-Version": "2024-01" },
    });
    const tokens = await requestClientCredentialsToken(config, INSECURE);
    expect(tokens.scope.sort()).toEqual(["read:things", "write:things"]);
    expect(lastTokenCall()).toMatchObject({
      params: { audience: "https://api.example", team: "blue", scope: "read:things write:things" },
      headers: { "x-api-version": "2024-01" },
    });
  });

  it.each(["clientCredentialsBasic", "clientCredentialsPost"] as const)("reports a wrong secret (%s) as invalid_client", async (which) => {
    const before = server.countGrants("client_credentials");
    const err = await rejection(requestClientCredentialsToken(clientCredentialsConfig(server, which, { clientSecret: "wrong" }), INSECURE));
    // Failed calls count too, and are recorded with their error.
    expect(server.countGrants("client_credentials")).toBe(before + 1);
    expect(lastTokenCall()).toMatchObject({ status: 401, error: "invalid_client" });
    expect(err).toBeInstanceOf(OAuthProviderError);
    expect(err).toMatchObject({ error: "invalid_client", status: 401, isInvalidGrant: false });
    expect(err.message).toMatch(/^The provider refused the client credentials \(invalid_client/);
  });
});
