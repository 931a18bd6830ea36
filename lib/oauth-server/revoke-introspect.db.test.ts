import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { makeTeamContext } from "@/lib/testing/factories";
import { deleteApplication } from "./clients";
import { handleIntrospectionRequest, handleRevocationRequest } from "./revoke-introspect";
import { basic, formRequest, makeClient } from "./test-helpers";
import { handleTokenRequest } from "./token-endpoint";
import { authenticateBearer } from "@/lib/api/bearer";

async function clientToken(app: { clientId: string; clientSecret: string }) {
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}
const live = async (token: string) =>
  !("status" in (await authenticateBearer(await getDb(), new Headers({ authorization: `Bearer ${token}` }), "127.0.0.1")));

describe("POST /oauth2/introspect (RFC 7662)", () => {
  it("requires client authentication and tells an unknown or foreign token only that it is inactive", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const other = await makeClient(ctx);
    const token = await clientToken(app);
    const anonymous = await handleIntrospectionRequest(await getDb(), formRequest("/oauth2/introspect", { token }));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toBe("invalid_client");

    const introspect = async (who: typeof app, value: string) =>
      (
        await handleIntrospectionRequest(
          await getDb(),
          formRequest("/oauth2/introspect", { token: value }, { authorization: basic(who.clientId, who.clientSecret) }),
        )
      ).json();
    expect(await introspect(app, "pbat_unknown")).toEqual({ active: false });
    expect(await introspect(other, token)).toEqual({ active: false });
    expect(await introspect(app, token)).toMatchObject({
      active: true,
      client_id: app.clientId,
      scope: "audit.log:read connections:read",
      token_type: "Bearer",
      iss: "http://localhost:3000",
    });
  });
});

describe("POST /oauth2/revoke (RFC 7009)", () => {
  it("answers 200 for unknown tokens, ignores other clients' tokens and revokes the caller's own", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const other = await makeClient(ctx);
    const token = await clientToken(app);
    const call = async (who: typeof app, value: string) =>
      handleRevocationRequest(
        await getDb(),
        formRequest("/oauth2/revoke", { token: value }, { authorization: basic(who.clientId, who.clientSecret) }),
      );
    expect((await call(app, "pbat_unknown")).status).toBe(200);
    expect((await call(other, token)).status).toBe(200);
    expect(await live(token)).toBe(true);
    expect((await call(app, token)).status).toBe(200);
    expect(await live(token)).toBe(false);
    const unauthenticated = await handleRevocationRequest(
      await getDb(),
      formRequest("/oauth2/revoke", { token }, { authorization: basic(app.clientId, "wrong") }),
    );
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it("deleting an application revokes its tokens", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx);
    const token = await clientToken(app);
    expect(await deleteApplication(await getDb(), ctx, app.id)).toEqual({ revokedTokens: 1 });
    expect(await live(token)).toBe(false);
    const again = await handleTokenRequest(
      await getDb(),
      formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
    );
    expect(again.status).toBe(401);
  });
});
