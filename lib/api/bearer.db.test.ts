import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { countingDb } from "@/lib/testing/counting-db";
import { oauthClients, oauthTokens } from "@/db/schema";
import { handleTokenRequest } from "@/lib/oauth-server/token-endpoint";
import { revokeTokensWhere } from "@/lib/oauth-server/tokens";
import { basic, formRequest, makeClient } from "@/lib/oauth-server/test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import { authenticateBearer } from "./bearer";

async function clientToken(app: { clientId: string; clientSecret: string }) {
  const response = await handleTokenRequest(
    await getDb(),
    formRequest("/oauth2/token", { grant_type: "client_credentials" }, { authorization: basic(app.clientId, app.clientSecret) }),
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

const headers = (token: string) => new Headers({ authorization: `Bearer ${token}` });

describe("authenticateBearer", () => {
  it("reads the token, its client and team in one query, and writes last used at most once a minute", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { role: "member", scopes: ["requests:run"] });
    const token = await clientToken(app);
    const { db, calls } = countingDb(await getDb());
    // The token endpoint stamped last used already; age it so the first call here writes it.
    await db
      .update(oauthClients)
      .set({ lastUsedAt: new Date(Date.now() - 120_000) })
      .where(eq(oauthClients.clientId, app.clientId));
    calls.length = 0;

    const first = await authenticateBearer(db, headers(token), "127.0.0.1");
    expect(first).toMatchObject({ scopes: ["requests:run"], client: { clientId: app.clientId }, ctx: { role: "member", team: ctx.team } });
    expect(calls).toEqual(["select", "update"]);
    const [{ lastUsedAt }] = await (await getDb())
      .select({ lastUsedAt: oauthClients.lastUsedAt })
      .from(oauthClients)
      .where(eq(oauthClients.clientId, app.clientId));
    expect(Date.now() - (lastUsedAt?.getTime() ?? 0)).toBeLessThan(60_000);

    // A fresh handle: the lookup is a prepared query built once per handle, so only a new one shows its select.
    const again = countingDb(await getDb());
    await authenticateBearer(again.db, headers(token), "127.0.0.1");
    expect(again.calls).toEqual(["select"]);
    // The handle that built it runs it again without building anything, and still writes nothing.
    calls.length = 0;
    expect(await authenticateBearer(db, headers(token), "127.0.0.1")).toMatchObject({ client: { clientId: app.clientId } });
    expect(calls).toEqual([]);
  });

  it("refuses a token at once when it is revoked or its application is deleted, with no query for a malformed one", async () => {
    const ctx = await makeTeamContext();
    const app = await makeClient(ctx, { role: "member", scopes: ["requests:run"] });
    const db = await getDb();
    const revoked = await clientToken(app);
    expect("ctx" in (await authenticateBearer(db, headers(revoked), "127.0.0.1"))).toBe(true);
    const [row] = await db
      .select({ id: oauthTokens.id })
      .from(oauthTokens)
      .where(eq(oauthTokens.clientId, (await clientRow(app.clientId)).id));
    await revokeTokensWhere(db, eq(oauthTokens.id, row.id));
    expect(await authenticateBearer(db, headers(revoked), "127.0.0.1")).toMatchObject({ status: 401, error: "invalid_token" });

    const orphaned = await clientToken(app);
    expect("ctx" in (await authenticateBearer(db, headers(orphaned), "127.0.0.1"))).toBe(true);
    await db.delete(oauthClients).where(eq(oauthClients.clientId, app.clientId));
    expect(await authenticateBearer(db, headers(orphaned), "127.0.0.1")).toMatchObject({ status: 401, error: "invalid_token" });

    const counting = countingDb(db);
    expect(await authenticateBearer(counting.db, headers("pbat_short"), "127.0.0.1")).toMatchObject({ status: 401, error: "invalid_token" });
    expect(counting.calls).toEqual([]);
  });
});

async function clientRow(clientId: string) {
  const [row] = await (await getDb()).select({ id: oauthClients.id }).from(oauthClients).where(eq(oauthClients.clientId, clientId));
  return row;
}
