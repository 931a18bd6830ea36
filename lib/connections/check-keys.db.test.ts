import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { connections, oauthStates } from "@/db/schema";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection, getKeyring } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { oauthStateAad } from "@/lib/connections/secrets";
import { encryptJson } from "@/lib/crypto";
import { makeTeamContext } from "@/lib/testing/factories";
import { checkEncryptionKeys, KeyCheckError } from "./check-keys";

// The check reads every stored row, so it runs only on the per-file in-memory database: on the shared
// Postgres test database other files' rows use the test key.
const isolated = process.env.PLUGBOARD_TEST_DB === "pglite";
const bytes = () => randomBytes(32).toString("base64");
const saved = { current: process.env.PLUGBOARD_ENCRYPTION_KEY, old: process.env.PLUGBOARD_ENCRYPTION_KEYS_OLD };

function setKeys(current: string, old?: string) {
  process.env.PLUGBOARD_ENCRYPTION_KEY = current;
  if (old) process.env.PLUGBOARD_ENCRYPTION_KEYS_OLD = old;
  else delete process.env.PLUGBOARD_ENCRYPTION_KEYS_OLD;
  resetEnvCache();
}

afterAll(() => {
  if (saved.current) setKeys(saved.current, saved.old);
  else delete process.env.PLUGBOARD_ENCRYPTION_KEY;
  resetEnvCache();
});

async function refusal(): Promise<KeyCheckError> {
  const error = await checkEncryptionKeys().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyCheckError);
  return error as KeyCheckError;
}

describe.runIf(isolated)("start-up key check", () => {
  it("refuses a wrong key under the right id, current or old, naming the id and what to do, never the key", async () => {
    const db = await getDb();
    const [right, wrong, other] = [bytes(), bytes(), bytes()];
    setKeys(`ka:${right}`);
    const ctx = await makeTeamContext();
    const ids: string[] = [];
    for (const n of [1, 2]) {
      ids.push((await createConnection(db, ctx, connectionInputSchema.parse({ type: "api_key", name: `c${n}`, apiKey: `secret-${n}-abcdef` }))).id);
    }
    await expect(checkEncryptionKeys()).resolves.toBeUndefined();

    setKeys(`ka:${wrong}`);
    const current = await refusal();
    expect(current.message).toContain('The configured key "ka" (in PLUGBOARD_ENCRYPTION_KEY; 2 stored values tried) cannot decrypt');
    expect(current.message).toContain("Restore the key that was in use");
    for (const key of [right, wrong]) expect(current.message).not.toContain(key);

    setKeys(`kb:${other}`, `ka:${wrong}`);
    const old = await refusal();
    expect(old.message).toContain('"ka" (in PLUGBOARD_ENCRYPTION_KEYS_OLD;');
    for (const key of [right, wrong, other]) expect(old.message).not.toContain(key);

    // One damaged value does not block a start while another value proves the key right.
    const [first] = await db.select().from(connections).where(eq(connections.id, ids[0]));
    await db.update(connections).set({ credentials: first.credentials }).where(eq(connections.id, ids[1]));
    setKeys(`ka:${right}`);
    await expect(checkEncryptionKeys()).resolves.toBeUndefined();

    // Pending consents are checked too: here the only value under "kc".
    const keyC = bytes();
    setKeys(`kc:${keyC}`, `ka:${right}`);
    const stateHash = randomBytes(16).toString("hex");
    const keyring = getKeyring();
    await db.insert(oauthStates).values({
      stateHash,
      userId: ctx.actor.id,
      teamId: ctx.team.id,
      draft: encryptJson(keyring, { mode: "create" }, oauthStateAad(stateHash)),
      keyId: "kc",
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(checkEncryptionKeys()).resolves.toBeUndefined();
    setKeys(`kc:${bytes()}`, `ka:${right}`);
    expect((await refusal()).message).toContain('"kc" (in PLUGBOARD_ENCRYPTION_KEY; 1 stored values tried)');

    // A key id that is not configured at all is the other refusal.
    setKeys(`kc:${keyC}`);
    expect((await refusal()).message).toContain('key "ka" (2 stored values), which is not configured');
  });
});
