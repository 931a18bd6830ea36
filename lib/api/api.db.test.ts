import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { oauthTokens } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { hashSecret } from "@/lib/oauth-server/secrets";
import { BASE, makeClient, clientCredentialsToken } from "@/lib/oauth-server/test-helpers";
import { makeTeamContext } from "@/lib/testing/factories";
import { apiRouteHandler } from "./handler";
import { listAuditLogRoute } from "./routes/audit-log";

const GET = apiRouteHandler(listAuditLogRoute);

const call = (token: string | null, query = "") =>
  GET(new Request(`${BASE}/api/v1/audit-log${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), {
    params: Promise.resolve({}),
  });

describe("GET /api/v1/audit-log", () => {
  it("answers 401 with a Bearer challenge without a token or with a bad or expired one", async () => {
    const none = await call(null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="plugboard"');
    const bad = await call("pbat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toMatch(/^Bearer realm="plugboard", error="invalid_token"/);

    const ctx = await makeTeamContext();
    const token = await clientCredentialsToken(await makeClient(ctx));
    await (await getDb())
      .update(oauthTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(oauthTokens.tokenHash, hashSecret(token)));
    expect((await call(token)).status).toBe(401);
  });

  it("refuses a token without audit.log:read (403 insufficient_scope) and a member-role client (403 forbidden)", async () => {
    const ctx = await makeTeamContext();
    const narrowed = await clientCredentialsToken(await makeClient(ctx), "connections:read");
    const noScope = await call(narrowed);
    expect(noScope.status).toBe(403);
    expect(await noScope.json()).toMatchObject({ error: "insufficient_scope" });
    expect(noScope.headers.get("www-authenticate")).toBe('Bearer realm="plugboard", error="insufficient_scope", scope="audit.log:read"');

    const memberToken = await clientCredentialsToken(await makeClient(ctx, { role: "member" }));
    const forbidden = await call(memberToken);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: "forbidden" });
  });

  it("returns only the token's team's events, filtered and paginated, and names invalid fields", async () => {
    const teamA = await makeTeamContext("admin", "Team A");
    const teamB = await makeTeamContext("admin", "Team B");
    await recordTeamAudit(await getDb(), teamB, { action: "secret.team_b_event" });
    await recordTeamAudit(await getDb(), teamA, { action: "test.team_a_event", metadata: { n: 1 } });
    const tokenA = await clientCredentialsToken(await makeClient(teamA));

    const all = await call(tokenA);
    expect(all.status).toBe(200);
    const body = (await all.json()) as {
      events: { action: string; actor: { kind: string; id: string | null; label: string } }[];
      page: number;
      hasNext: boolean;
    };
    expect(body.events.map((e) => e.action)).toContain("test.team_a_event");
    expect(body.events.map((e) => e.action)).not.toContain("secret.team_b_event");
    const issued = body.events.find((e) => e.action === "oauth.token_issued")?.actor;
    expect(issued).toMatchObject({ kind: "application", label: expect.stringMatching(/^App .* \(application\)$/) });

    const filtered = (await (await call(tokenA, "?action=test.team_a_event")).json()) as typeof body;
    expect(filtered).toMatchObject({ page: 1, hasNext: false, events: [{ action: "test.team_a_event" }] });
    const crossTeam = (await (await call(tokenA, "?action=secret.team_b_event")).json()) as typeof body;
    expect(crossTeam.events).toEqual([]);

    const invalid = await call(tokenA, "?page=0");
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: "invalid_request", fields: { "query.page": "Pages start at 1." } });
  });
});
