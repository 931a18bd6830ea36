import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { connections } from "@/db/schema";
import { startOAuthTestServer, type OAuthTestServer } from "@/e2e/support/oauth-test-server";
import { resetEnvCache } from "@/lib/config/env";
import { executeHttpRequest } from "@/lib/http";
import { parseAllowedHosts } from "@/lib/http/address-guard";
import { closeHttpAgents } from "@/lib/http/dispatcher";
import { makeTeamContext } from "@/lib/testing/factories";
import { createConnection, getCredentialProvider, listConnections, listTokenEvents, verifyConnection } from "./index";
import { connectionInputSchema } from "./schemas";
import { refreshAheadMs } from "./tokens";

// Refresh lease, refresh-ahead rule and token-URL refusals, against real token endpoints on 127.0.0.1.
let oauth: OAuthTestServer;
let shortLived: OAuthTestServer;
const allowedTargets = parseAllowedHosts("127.0.0.1");

beforeAll(async () => {
  process.env.PLUGBOARD_ALLOWED_HOSTS = "127.0.0.1,localhost";
  resetEnvCache();
  [oauth, shortLived] = await Promise.all([startOAuthTestServer(), startOAuthTestServer({ accessTokenTtlSeconds: 5 })]);
});
afterAll(async () => {
  await Promise.all([oauth?.stop(), shortLived?.stop()]);
  await closeHttpAgents();
});

function clientCredentials(name: string, tokenUrl: string, server: OAuthTestServer = oauth) {
  const c = server.clients.clientCredentialsBasic;
  return connectionInputSchema.parse({
    type: "oauth2_client_credentials",
    name,
    tokenUrl,
    scopes: "read:things",
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    clientAuth: c.clientAuth,
    testUrl: server.resourceUrl,
  });
}

/** A token endpoint that accepts requests and never answers them. */
async function startHangingServer(): Promise<{ url: string; received: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const server = http.createServer(() => void count++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    received: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A token endpoint that answers a fixed token after a delay, so a test can act while the request is out. */
async function startSlowTokenServer(delayMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ access_token: "slow-token", token_type: "Bearer", expires_in: 3600 }));
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

describe("a token endpoint that hangs", () => {
  it("does not hold the database: listing connections (this team's and another's) stays fast", { timeout: 60_000 }, async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const other = await makeTeamContext();
    await createConnection(db, other, connectionInputSchema.parse({ type: "basic", name: "Theirs", username: "u", password: "p-123456" }));
    const hanging = await startHangingServer();
    // More stuck refreshes than the Postgres pool has connections (10), so holding one each would starve the pool.
    const ids = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => (await createConnection(db, ctx, clientCredentials(`Stuck ${i}`, hanging.url))).id),
    );
    const stuck = ids.map(async (id) => {
      const { provider } = await getCredentialProvider(db, ctx, id);
      return provider.accessToken().catch((err: Error) => err);
    });
    try {
      await until(() => hanging.received() >= 1);
      await new Promise((r) => setTimeout(r, 300)); // every refresh has started by now
      const mine = await timed(() => listConnections(db, ctx));
      const theirs = await timed(() => listConnections(db, other));
      expect(mine.value).toHaveLength(12);
      expect(theirs.value.map((c) => c.name)).toEqual(["Theirs"]);
      expect(mine.ms).toBeLessThan(2_000);
      expect(theirs.ms).toBeLessThan(2_000);
      // All of them reached the provider at once (none waited for another's transaction), holding only leases.
      await until(() => hanging.received() >= ids.length);
      const leased = await db.select({ holder: connections.refreshLeaseHolder }).from(connections).where(eq(connections.teamId, ctx.team.id));
      expect(leased.every((r) => r.holder !== null)).toBe(true);
    } finally {
      await hanging.stop();
      await Promise.all(stuck);
    }
    // Closing the endpoint turned every refresh into a recorded failure and released the leases.
    const after = await db.select({ holder: connections.refreshLeaseHolder }).from(connections).where(eq(connections.teamId, ctx.team.id));
    expect(after.every((r) => r.holder === null)).toBe(true);
  });
});

describe("the refresh lease", () => {
  it("a crashed holder's lease lapses and the next caller refreshes", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id } = await createConnection(db, ctx, clientCredentials("Crashed holder", oauth.tokenUrl));
    // A holder that took the lease and died: nobody releases it, it only expires.
    await db
      .update(connections)
      .set({ refreshLeaseHolder: "crashed-process", refreshLeaseExpiresAt: sql`now() + interval '600 milliseconds'` })
      .where(eq(connections.id, id));
    oauth.resetEvents();
    const { provider } = await getCredentialProvider(db, ctx, id);
    const { value: token, ms } = await timed(() => provider.accessToken());
    expect(token.accessToken).toBeTruthy();
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(oauth.countGrants("client_credentials")).toBe(1);
    const [row] = await db.select().from(connections).where(eq(connections.id, id));
    expect(row).toMatchObject({ refreshLeaseHolder: null, tokenVersion: 1 });
  });

  it("callers waiting on another instance's lease take its result: its token, or its failure without asking again", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id } = await createConnection(db, ctx, clientCredentials("Waiters", oauth.tokenUrl));
    const lease = { refreshLeaseHolder: "other-instance", refreshLeaseExpiresAt: sql`now() + interval '30 seconds'` };
    await db.update(connections).set(lease).where(eq(connections.id, id));
    oauth.resetEvents();
    const waiting = Promise.all(
      Array.from({ length: 5 }, async () => (await getCredentialProvider(db, ctx, id)).provider.accessToken().catch((err: Error) => err)),
    );
    await new Promise((r) => setTimeout(r, 300));
    // The other instance fails and releases its lease, as recordFailure does.
    const failure = {
      at: new Date().toISOString(),
      message: 'Connection "Waiters": Getting an access token failed: provider down',
      reason: "transient",
    };
    await db
      .update(connections)
      .set({ refreshLeaseHolder: null, refreshLeaseExpiresAt: null, refreshFailure: failure })
      .where(eq(connections.id, id));
    const results = await waiting;
    expect(results.map((r) => (r instanceof Error ? r.message : "token"))).toEqual(Array(5).fill(failure.message));
    expect(oauth.countGrants("client_credentials")).toBe(0);

    // Later callers (no lease, an old failure) ask the provider themselves, once.
    const { provider } = await getCredentialProvider(db, ctx, id);
    await provider.accessToken();
    expect(oauth.countGrants("client_credentials")).toBe(1);
  });

  it("a refresh whose connection was replaced meanwhile does not overwrite the new credentials", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const slow = await startSlowTokenServer(800);
    const { id } = await createConnection(db, ctx, clientCredentials("Replaced", slow.url));
    const { provider } = await getCredentialProvider(db, ctx, id);
    const pending = provider.accessToken();
    const leaseOf = async () =>
      (await db.select({ holder: connections.refreshLeaseHolder }).from(connections).where(eq(connections.id, id)))[0].holder;
    try {
      for (let i = 0; (await leaseOf()) === null; i++) {
        if (i > 200) throw new Error("the lease was never taken");
        await new Promise((r) => setTimeout(r, 10));
      }
      // An edit lands while the token request is out: it bumps the version, so the compare-and-set fails.
      await db
        .update(connections)
        .set({ tokenVersion: sql`${connections.tokenVersion} + 7` })
        .where(eq(connections.id, id));
      expect((await pending).accessToken).toBe("slow-token");
    } finally {
      await slow.stop();
    }
    const [row] = await db.select().from(connections).where(eq(connections.id, id));
    expect(row.tokenVersion).toBe(7);
    expect(row.tokenExpiresAt).toBeNull();
    expect(await listTokenEvents(db, ctx, id)).toEqual([]);
  });
});

describe("refresh ahead", () => {
  it("is min(60 s, a quarter of the lifetime)", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const later = (s: number) => new Date(at.getTime() + s * 1000);
    expect(refreshAheadMs(at, later(5))).toBe(1_250);
    expect(refreshAheadMs(at, later(60))).toBe(15_000);
    expect(refreshAheadMs(at, later(3600))).toBe(60_000);
    expect(refreshAheadMs(null, later(3600))).toBe(60_000);
  });

  it("uses a 5-second token for batches of requests instead of refreshing per request", { timeout: 30_000 }, async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const { id } = await createConnection(db, ctx, clientCredentials("Five seconds", shortLived.tokenUrl, shortLived));
    shortLived.resetEvents();
    const batch = () =>
      Promise.all(
        Array.from({ length: 5 }, async () => {
          const { provider } = await getCredentialProvider(db, ctx, id);
          return executeHttpRequest({ url: shortLived.resourceUrl }, { provider, allowedTargets });
        }),
      );
    const ok = (results: Awaited<ReturnType<typeof batch>>) => expect(results.every((r) => r.ok && r.status === 200)).toBe(true);
    ok(await batch());
    const [row] = await db.select({ issuedAt: connections.tokenIssuedAt }).from(connections).where(eq(connections.id, id));
    const issuedAt = row.issuedAt!.getTime();
    let rounds = 1;
    // Batches during the first 2 s of the token's 5: none of them is due for a refresh (3.75 s).
    while (Date.now() < issuedAt + 2_000) {
      ok(await batch());
      rounds++;
    }
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(shortLived.countGrants("client_credentials")).toBe(1);
    // Within the last quarter of its life the token is renewed, once for the batch.
    await new Promise((r) => setTimeout(r, Math.max(0, issuedAt + 4_000 - Date.now())));
    ok(await batch());
    expect(shortLived.countGrants("client_credentials")).toBe(2);
  });
});

describe("a token URL the address guard refuses", () => {
  it("fails at once, without retries, in the executor's words", async () => {
    const db = await getDb();
    const ctx = await makeTeamContext();
    const input = clientCredentials("Private token URL", "https://10.11.12.13/token");
    const { id } = await createConnection(db, ctx, input);
    const { value: result, ms } = await timed(() => verifyConnection(db, ctx, id));
    expect(result.ok).toBe(false);
    expect(result.message).toContain("refused by the address guard: 10.11.12.13 is");
    expect(result.message).toContain("PLUGBOARD_ALLOWED_HOSTS");
    expect(result.message).not.toContain("attempts");
    expect(ms).toBeLessThan(1_000); // retries would add 1.25 s of pauses
    const [event] = await listTokenEvents(db, ctx, id);
    expect(event).toMatchObject({ kind: "refresh_failed", message: expect.stringContaining("refused by the address guard") });
    expect(event.message).not.toContain("attempts");
  });
});
