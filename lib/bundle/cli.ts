import "server-only";
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { DataDirLockedError } from "@/db/data-dir-lock";
import { EnvError } from "@/lib/config/env";
import { memberships, teams, users } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { exportTeamBundle } from "./export-bundle";
import { importTeamBundle, previewImport } from "./import-bundle";
import { type ConflictChoice, conflictChoiceSchema, importChoicesSchema } from "./schema";
import { parseBundleText } from "./upgrade";

/**
 * `npm run team:export` and `npm run team:import` (scripts/team-*.ts): the same service functions as the
 * UI and the REST API, acting as "Command line" in the audit log. The passphrase comes from
 * PLUGBOARD_BUNDLE_PASSPHRASE or a prompt, never from an argument (arguments show in `ps` and shell history).
 */

export const PASSPHRASE_ENV = "PLUGBOARD_BUNDLE_PASSPHRASE";
const MAX_FILE_BYTES = 100 * 1024 * 1024;

export class CliUsageError extends Error {}

/** The team by name (or id), acting as the command line; created_by columns name the team's first admin. */
export async function cliTeamContext(db: Database, team: string, command: string): Promise<TeamContext> {
  const byId = /^[0-9a-f-]{36}$/i.test(team);
  const found = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(byId ? eq(teams.id, team) : eq(teams.name, team));
  if (found.length === 0) throw new CliUsageError(`No team named "${team}".`);
  if (found.length > 1)
    throw new CliUsageError(`Several teams are named "${team}": pass the team's id instead (${found.map((t) => t.id).join(", ")}).`);
  const [admin] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.teamId, found[0].id), eq(memberships.role, "admin")))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!admin) throw new CliUsageError(`Team "${team}" has no admin.`);
  return { actor: admin, principal: { kind: "system", name: `Command line (${command})` }, team: found[0], role: "admin", ip: null };
}

export function parseExportArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { team: { type: "string" }, out: { type: "string" }, "with-secrets": { type: "boolean", default: false } },
  });
  if (!values.team || !values.out) throw new CliUsageError("Usage: npm run team:export -- --team NAME --out FILE [--with-secrets]");
  return { team: values.team, out: values.out, withSecrets: values["with-secrets"] ?? false };
}

export function parseImportArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      team: { type: "string" },
      in: { type: "string" },
      "on-conflict": { type: "string", default: "rename" },
      "activate-flows": { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
    },
  });
  if (!values.team || !values.in)
    throw new CliUsageError("Usage: npm run team:import -- --team NAME --in FILE [--on-conflict skip|rename|replace] [--activate-flows] [--dry-run]");
  const onConflict = conflictChoiceSchema.safeParse(values["on-conflict"]);
  if (!onConflict.success) throw new CliUsageError("--on-conflict is skip, rename or replace.");
  return {
    team: values.team,
    in: values.in,
    onConflict: onConflict.data,
    activateFlows: values["activate-flows"] ?? false,
    dryRun: values["dry-run"] ?? false,
  };
}

export async function runTeamExport(db: Database, args: ReturnType<typeof parseExportArgs>, passphrase: () => Promise<string>): Promise<string> {
  const ctx = await cliTeamContext(db, args.team, "team:export");
  const bundle = await exportTeamBundle(db, ctx, args.withSecrets ? { passphrase: await passphrase() } : {});
  await writeFile(args.out, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
  return `Exported ${bundle.connections.length} connection(s), ${bundle.savedRequests.length} saved request(s), ${bundle.flows.length} flow(s) and ${bundle.applications.length} application(s) of "${ctx.team.name}" ${args.withSecrets ? "with secrets (under the passphrase)" : "without secrets"} to ${args.out}.`;
}

export async function runTeamImport(db: Database, args: ReturnType<typeof parseImportArgs>, passphrase: () => Promise<string>): Promise<string> {
  const ctx = await cliTeamContext(db, args.team, "team:import");
  const text = await readFile(args.in, "utf8");
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) throw new CliUsageError(`${args.in} is larger than ${MAX_FILE_BYTES} bytes.`);
  const bundle = parseBundleText(text);
  const ids = [...bundle.connections, ...bundle.savedRequests, ...bundle.flows, ...bundle.applications].map((item) => item.id);
  const choices = importChoicesSchema.parse({
    conflicts: Object.fromEntries(ids.map((id): [string, ConflictChoice] => [id, args.onConflict])),
    activateFlows: args.activateFlows,
  });
  const secret = bundle.secrets.mode === "passphrase" ? await passphrase() : undefined;
  if (args.dryRun) {
    const preview = await previewImport(db, ctx, bundle, choices, secret);
    return preview.items
      .map((i) => `${i.action.padEnd(7)} ${i.kind} "${i.name}"${i.targetName !== i.name ? ` as "${i.targetName}"` : ""}`)
      .join("\n");
  }
  const result = await importTeamBundle(db, ctx, bundle, choices, secret);
  const stubs = result.needCredentials.map((c) => `"${c.name}"`).join(", ");
  return `Imported into "${ctx.team.name}": ${result.created} created, ${result.replaced} replaced, ${result.skipped} skipped.${stubs ? ` Enter the credentials of ${stubs} on their connection pages.` : ""}`;
}

/** A CLI error in words: usage and service errors as they are, anything else as an unexpected failure. */
export function cliErrorMessage(error: unknown): string {
  // Known causes in words: usage, a refused bundle, the configuration, an embedded database the app holds open.
  if (error instanceof CliUsageError || error instanceof ServiceError || error instanceof EnvError || error instanceof DataDirLockedError)
    return error.message;
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
