/**
 * A second app process for the refresh concurrency test (refresh-processes.db.test.ts): loads the modules,
 * opens the shared database, prints "ready", waits for "go" on stdin, then makes USES parallel requests
 * with the connection and prints their statuses as JSON. Run with `tsx --conditions=react-server`.
 */
import { createInterface } from "node:readline";
import { closeDb, getDb } from "@/db/client";
import { resolveTeamContext } from "@/lib/auth/team-context";
import { getCredentialProvider } from "@/lib/connections";
import { adminAllowList } from "@/lib/connections/oauth-transport";
import { closeHttpAgents, executeHttpRequest } from "@/lib/http";

const { CONNECTION_ID, USER_ID, TEAM_ID, RESOURCE_URL, USES } = process.env as Record<string, string>;
const db = await getDb();
const ctx = await resolveTeamContext(db, USER_ID, TEAM_ID);
if (!ctx) throw new Error("no team context");
process.stdout.write("ready\n");
await new Promise<void>((resolve) => {
  const rl = createInterface({ input: process.stdin });
  rl.once("line", () => {
    rl.close();
    resolve();
  });
});
const statuses = await Promise.all(
  Array.from({ length: Number(USES) }, async () => {
    const { provider } = await getCredentialProvider(db, ctx, CONNECTION_ID);
    const r = await executeHttpRequest({ url: RESOURCE_URL }, { provider, allowedTargets: adminAllowList() });
    return r.ok ? r.status : r.message;
  }),
);
process.stdout.write(`${JSON.stringify(statuses)}\n`);
await closeHttpAgents();
await closeDb();
