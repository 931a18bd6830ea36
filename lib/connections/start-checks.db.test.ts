import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { resetEnvCache } from "@/lib/config/env";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { makeTeamContext } from "@/lib/testing/factories";
import { register } from "@/instrumentation";

// `npm start` asks the server to migrate and check the keys in instrumentation's register() (the embedded
// database is opened once). A key that cannot read the stored secrets must stop that server before it
// answers, with the refusal's message; without PLUGBOARD_PREPARE_DATABASE (a bare `next start`) nothing is checked.
// Isolated per-file database only: the check reads every stored row.
const isolated = process.env.PLUGBOARD_TEST_DB === "pglite";
const bytes = () => randomBytes(32).toString("base64");
const saved = { ...process.env };

afterAll(() => {
  for (const name of [
    "PLUGBOARD_ENCRYPTION_KEY",
    "PLUGBOARD_ENCRYPTION_KEYS_OLD",
    "PLUGBOARD_PREPARE_DATABASE",
    "PLUGBOARD_WORKERS",
    "NEXT_RUNTIME",
  ]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  resetEnvCache();
  vi.restoreAllMocks();
});

describe.runIf(isolated)("the server's start-up checks (instrumentation register)", () => {
  it("stop the server with the key check's message when the key cannot read the stored secrets", async () => {
    const db = await getDb();
    process.env.NEXT_RUNTIME = "nodejs";
    process.env.PLUGBOARD_WORKERS = "off";
    process.env.PLUGBOARD_ENCRYPTION_KEY = `ka:${bytes()}`;
    resetEnvCache();
    await createConnection(db, await makeTeamContext(), connectionInputSchema.parse({ type: "api_key", name: "c1", apiKey: "secret-abcdef" }));

    const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as typeof process.exit);
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});

    process.env.PLUGBOARD_PREPARE_DATABASE = "1";
    await expect(register()).resolves.toBeUndefined(); // the right key: migrations (already applied) and check pass
    expect(exit).not.toHaveBeenCalled();

    process.env.PLUGBOARD_ENCRYPTION_KEY = `ka:${bytes()}`;
    resetEnvCache();
    await expect(register()).rejects.toThrow("exit 1");
    expect(printed).toHaveBeenCalledWith(expect.stringMatching(/^\[plugboard\] cannot start: The configured key "ka" .* cannot decrypt/));

    // A bare `next start` (no PLUGBOARD_PREPARE_DATABASE) does not check.
    exit.mockClear();
    delete process.env.PLUGBOARD_PREPARE_DATABASE;
    await expect(register()).resolves.toBeUndefined();
    expect(exit).not.toHaveBeenCalled();
  });
});
