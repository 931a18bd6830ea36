import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { memberships, oauthClients, rateLimits } from "@/db/schema";
import { apiRouteHandler } from "@/lib/api/handler";
import { API_ROUTES } from "@/lib/api/registry";
import { applicationActor } from "@/lib/auth/actor";
import { addMember, makeTeamContext } from "@/lib/testing/factories";
import { deleteApplication } from "./clients";
import { personalAccessTokenSchema } from "./schemas";
import { createPersonalAccessToken, issueTryItToken, listPersonalAccessTokens, TRY_IT_TOKEN_SECONDS } from "./system-clients";
import { appToken, BASE } from "./test-helpers";

// /api/v1 on a loopback port, called with fetch (undici) like any integration would.
let api: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  const routes = API_ROUTES.map((route) => ({
    route,
    handler: apiRouteHandler(route),
    pattern: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
  }));
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", BASE);
    const found = routes
      .filter((r) => r.route.method === req.method)
      .map((r) => ({ handler: r.handler, match: url.pathname.match(r.pattern) }))
      .find((r) => r.match);
    if (!found?.match) return void res.writeHead(404).end();
    const params: Record<string, string> = { ...found.match.groups };
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const response = await found.handler(new Request(url, { method: req.method, headers, body }), { params: Promise.resolve(params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(() => api?.close());

async function call(token: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${api.url}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const patInput = (scopes: string[], days = 30) =>
  personalAccessTokenSchema.parse({ name: `PAT ${scopes.join(" ")}`, scopes, expiresInDays: String(days) });
const setRole = async (teamId: string, userId: string, role: "admin" | "member") =>
  (await getDb())
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.teamId, teamId), eq(memberships.userId, userId)));

describe("personal access tokens (system-configured, single owner)", () => {
  it("works on /api/v1 as its owner, listed as system-configured; another admin cannot change or delete it (409); it loses admin power with its owner's role and stops when they leave", async () => {
    const owner = await makeTeamContext("admin");
    const created = await createPersonalAccessToken(await getDb(), owner, patInput(["applications:read", "applications:write", "connections:read"]));
    expect(created.token).toMatch(/^pbat_/);
    expect(new Date(created.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // Never stored: the list shows its dates, not the value.
    const mine = await listPersonalAccessTokens(await getDb(), owner);
    expect(mine).toMatchObject([{ id: created.id, scopes: ["applications:read", "applications:write", "connections:read"] }]);
    expect(JSON.stringify(mine)).not.toContain(created.token);

    const listed = await call(created.token, "/api/v1/applications");
    expect(listed.status).toBe(200);
    const apps = listed.body.applications as { id: string; configuredBy: string; systemKind: string; owner: { id: string } }[];
    expect(apps.find((a) => a.id === created.id)).toMatchObject({
      configuredBy: "system",
      systemKind: "personal_access_token",
      owner: { id: owner.actor.id },
    });

    // Another admin of the team, through the REST API: refused by name, not hidden as "not found".
    const other = await addMember(owner, "admin");
    const otherToken = await appToken(other, ["applications:read", "applications:write"], "admin");
    const patch = await call(otherToken, `/api/v1/applications/${created.id}`, { method: "PATCH", body: { accessTokenTtlSeconds: 600 } });
    expect(patch).toMatchObject({ status: 409, body: { error_description: expect.stringContaining("system-configured") } });
    expect((await call(otherToken, `/api/v1/applications/${created.id}`, { method: "DELETE" })).status).toBe(409);
    expect((await call(otherToken, `/api/v1/applications/${created.id}/secrets`, { method: "POST" })).status).toBe(409);
    expect((await call(created.token, "/api/v1/connections")).status).toBe(200);

    // Demoted: the admin-only routes refuse it at once; the member ones still answer.
    await setRole(owner.team.id, owner.actor.id, "member");
    expect(await call(created.token, "/api/v1/applications")).toMatchObject({ status: 403, body: { error: "forbidden" } });
    expect((await call(created.token, "/api/v1/connections")).status).toBe(200);
    await setRole(owner.team.id, owner.actor.id, "admin");
    expect((await call(created.token, "/api/v1/applications")).status).toBe(200);

    // Left the team: the token no longer speaks for anyone.
    await (await getDb()).delete(memberships).where(and(eq(memberships.teamId, owner.team.id), eq(memberships.userId, owner.actor.id)));
    expect(await call(created.token, "/api/v1/connections")).toMatchObject({ status: 401, body: { error: "invalid_token" } });
  });

  it("narrows its owner by its scopes; revoking (deleting) it stops it at once; only an admin signed in may create one", async () => {
    const owner = await makeTeamContext("admin");
    const db = await getDb();
    const narrow = await createPersonalAccessToken(db, owner, patInput(["connections:read"], 1));
    expect(await call(narrow.token, "/api/v1/applications")).toMatchObject({ status: 403, body: { error: "insufficient_scope" } });

    const pat = await createPersonalAccessToken(db, owner, patInput(["applications:read", "applications:write"]));
    expect((await call(pat.token, "/api/v1/applications")).status).toBe(200);
    // The owner revokes it with itself through the REST API; the next call is refused.
    expect((await call(pat.token, `/api/v1/applications/${pat.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(pat.token, "/api/v1/applications")).status).toBe(401);

    // A demoted owner can still revoke theirs (from the Profile page).
    await setRole(owner.team.id, owner.actor.id, "member");
    await deleteApplication(db, { ...owner, role: "member" }, narrow.id);
    expect(await listPersonalAccessTokens(db, owner)).toEqual([]);

    const member = await addMember(owner, "member");
    await expect(createPersonalAccessToken(db, member, patInput(["connections:read"]))).rejects.toThrow(/admin/);
    // A token (here an application acting for the admin) cannot mint a personal access token.
    const admin = await addMember(owner, "admin");
    const asApplication = { ...admin, principal: applicationActor({ id: "x", name: "app", serviceUserId: null }, admin.actor.id) };
    await expect(createPersonalAccessToken(db, asApplication, patInput(["connections:read"]))).rejects.toThrow(/signed-in user/);
    expect(personalAccessTokenSchema.safeParse({ name: "x", scopes: ["connections:read"], expiresInDays: "366" }).error?.issues[0]).toMatchObject({
      path: ["expiresInDays"],
    });
  });
});

describe("API documentation Try it", () => {
  it("issues a short-lived token for the signed-in user from one system client per team, with the operation's scope and the user's role", async () => {
    const admin = await makeTeamContext("admin");
    const member = await addMember(admin, "member");
    const db = await getDb();
    const [first, second] = await Promise.all([issueTryItToken(db, member, "connections:read"), issueTryItToken(db, admin, "applications:read")]);
    expect(first.expiresIn).toBe(TRY_IT_TOKEN_SECONDS);
    expect((await call(first.token, "/api/v1/connections")).status).toBe(200);
    expect(await call(first.token, "/api/v1/audit-log")).toMatchObject({ status: 403, body: { error: "insufficient_scope" } });
    // The member's token acts as the member: an admin operation is refused whatever its scope.
    const memberAdminScope = await issueTryItToken(db, member, "applications:read");
    expect(await call(memberAdminScope.token, "/api/v1/applications")).toMatchObject({ status: 403, body: { error: "forbidden" } });

    const listed = await call(second.token, "/api/v1/applications");
    const docsClients = (listed.body.applications as { id: string; systemKind: string | null }[]).filter((a) => a.systemKind === "api_docs");
    expect(docsClients).toHaveLength(1);
    const adminWrite = await appToken(admin, ["applications:write"], "admin");
    expect((await call(adminWrite, `/api/v1/applications/${docsClients[0].id}`, { method: "DELETE" })).status).toBe(409);
    const [row] = await db.select().from(oauthClients).where(eq(oauthClients.id, docsClients[0].id));
    expect(row).toMatchObject({ configuredBy: "system", ownerUserId: null, redirectUris: [] });
    await expect(issueTryItToken(db, admin, "no:such")).rejects.toThrow(/scope/);
    // Bounded per person: the 61st token of the hour is refused.
    await db
      .insert(rateLimits)
      .values({ key: `oauth:try-it:${member.actor.id}`, windowStart: new Date(), count: 60 })
      .onConflictDoUpdate({ target: rateLimits.key, set: { count: 60 } });
    await expect(issueTryItToken(db, member, "connections:read")).rejects.toThrow(/an hour/);
  });
});
