import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, connections } from "@/db/schema";
import { createConnection } from "@/lib/connections";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { makeTeamContext } from "@/lib/testing/factories";
import { EnvError } from "@/lib/config/env";
import { CliUsageError, cliErrorMessage, parseExportArgs, parseImportArgs, runTeamExport, runTeamImport } from "./cli";

const dir = mkdtempSync(path.join(tmpdir(), "plugboard-bundle-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API_KEY = "cli-bundle-api-key-Rt55";
const PASSPHRASE = async () => "cli passphrase for tests";

describe("team:export and team:import", () => {
  it("exports a team to a private file and imports it into another team by name, as the command line", async () => {
    const db = await getDb();
    const source = await makeTeamContext("admin", `CLI source ${randomUUID()}`);
    await createConnection(
      db,
      source,
      connectionInputSchema.parse({ type: "api_key", name: "Mail", apiKey: API_KEY, testUrl: "http://127.0.0.1:9/" }),
    );
    const file = path.join(dir, "team.json");
    const said = await runTeamExport(db, parseExportArgs(["--team", source.team.name, "--out", file, "--with-secrets"]), PASSPHRASE);
    expect(said).toMatch(/1 connection\(s\).*with secrets/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain(API_KEY);

    const target = await makeTeamContext("admin", `CLI target ${randomUUID()}`);
    const dry = await runTeamImport(db, parseImportArgs(["--team", target.team.name, "--in", file, "--dry-run"]), PASSPHRASE);
    expect(dry).toBe('create  connection "Mail"');
    expect(await db.select().from(connections).where(eq(connections.teamId, target.team.id))).toEqual([]);

    expect(await runTeamImport(db, parseImportArgs(["--team", target.team.id, "--in", file]), PASSPHRASE)).toMatch(/1 created/);
    // Again, skipping what exists: nothing new.
    expect(await runTeamImport(db, parseImportArgs(["--team", target.team.name, "--in", file, "--on-conflict", "skip"]), PASSPHRASE)).toMatch(
      /0 created, 0 replaced, 1 skipped/,
    );
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.teamId, target.team.id), eq(auditEvents.action, "team.imported")));
    expect(audit).toMatchObject({ actorKind: "system", actorLabel: "Command line (team:import)" });
  });

  it("refuses missing arguments, an unknown conflict choice and an unknown team", async () => {
    expect(() => parseExportArgs(["--team", "x"])).toThrow(CliUsageError);
    expect(() => parseImportArgs(["--team", "x", "--in", "f", "--on-conflict", "merge"])).toThrow(/skip, rename or replace/);
    expect(cliErrorMessage(new EnvError("PLUGBOARD_ENCRYPTION_KEY is missing."))).toBe("PLUGBOARD_ENCRYPTION_KEY is missing.");
    expect(cliErrorMessage(new TypeError("boom"))).toBe("unexpected error: boom");
    await expect(
      runTeamExport(await getDb(), parseExportArgs(["--team", `nobody ${randomUUID()}`, "--out", path.join(dir, "x.json")]), PASSPHRASE),
    ).rejects.toThrow(/No team named/);
  });
});
