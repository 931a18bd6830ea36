import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { teamVariables, type TeamVariableRow } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { getKeyring } from "@/lib/connections/secrets";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { MIN_SECRET_LENGTH } from "@/lib/http/mask";
import { VARIABLE_LIMITS, type VariableSummary, variableInputSchema } from "./schemas";

/**
 * A team's variables: plain ones stored as typed, secret ones sealed with the connections' keyring
 * (AES-256-GCM, key id kept) and bound to `team:<id>:variable:<id>`, so a ciphertext copied into
 * another row does not open. A secret value is never returned by anything here but loadTeamVariables,
 * which hands it to the request being resolved together with the set that masks it.
 */

export const variableAad = (teamId: string, variableId: string) => `team:${teamId}:variable:${variableId}`;

const summaryColumns = {
  id: teamVariables.id,
  name: teamVariables.name,
  secret: teamVariables.secret,
  value: teamVariables.value,
  secretValue: teamVariables.secretValue,
  updatedAt: teamVariables.updatedAt,
};

function toSummary(row: Pick<TeamVariableRow, "id" | "name" | "secret" | "value" | "secretValue" | "updatedAt">): VariableSummary {
  return {
    id: row.id,
    name: row.name,
    secret: row.secret,
    value: row.secret ? null : (row.value ?? ""),
    valueSet: !row.secret || row.secretValue !== null,
    updatedAt: row.updatedAt,
  };
}

/** Every variable of the team, by name (members see names, and values of the plain ones). */
export async function listVariables(db: Executor, ctx: TeamContext, page: { limit?: number; offset?: number } = {}): Promise<VariableSummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(teamVariables)
    .where(eq(teamVariables.teamId, ctx.team.id))
    .orderBy(asc(sql`lower(${teamVariables.name})`))
    .limit(Math.min(page.limit ?? VARIABLE_LIMITS.perTeam, VARIABLE_LIMITS.perTeam))
    .offset(page.offset ?? 0);
  return rows.map(toSummary);
}

export async function countVariables(db: Executor, ctx: TeamContext): Promise<number> {
  const [row] = await db.select({ n: count() }).from(teamVariables).where(eq(teamVariables.teamId, ctx.team.id));
  return row?.n ?? 0;
}

export async function getVariable(db: Executor, ctx: TeamContext, id: string): Promise<VariableSummary> {
  const [row] = await db
    .select(summaryColumns)
    .from(teamVariables)
    .where(and(eq(teamVariables.id, id), eq(teamVariables.teamId, ctx.team.id)));
  if (!row) throw new NotFoundError("That variable");
  return toSummary(row);
}

export type VariableWrite = { name: string; value: string; secret: boolean };

/** Creates a variable, or (with an id) edits one; a secret one edited with an empty value keeps its value. */
export async function setVariable(db: Database, ctx: TeamContext, input: VariableWrite & { id?: string }): Promise<VariableSummary> {
  requireRole(ctx, "admin");
  return db.transaction(async (tx) => {
    const existing = input.id ? await lockedRow(tx, ctx, input.id) : null;
    const [clash] = await tx
      .select({ id: teamVariables.id })
      .from(teamVariables)
      .where(and(eq(teamVariables.teamId, ctx.team.id), sql`lower(${teamVariables.name}) = lower(${input.name})`));
    if (clash && clash.id !== existing?.id) {
      throw new ServiceError(`The team already has a variable named ${input.name}.`, "conflict", { name: "This name is taken; choose another." });
    }
    const id = existing?.id ?? crypto.randomUUID();
    const stored = storedValue(ctx.team.id, id, input, existing);
    let row: TeamVariableRow | undefined;
    if (existing) {
      [row] = await tx
        .update(teamVariables)
        .set({ name: input.name, secret: input.secret, ...stored, updatedAt: new Date() })
        .where(and(eq(teamVariables.id, id), eq(teamVariables.teamId, ctx.team.id)))
        .returning();
    } else {
      // The bound is checked under a lock on the team's variables, so two creations cannot both pass it.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`team_variables:${ctx.team.id}`}))`);
      const [{ n }] = await tx.select({ n: count() }).from(teamVariables).where(eq(teamVariables.teamId, ctx.team.id));
      if (n >= VARIABLE_LIMITS.perTeam) {
        throw new ServiceError(`A team can keep at most ${VARIABLE_LIMITS.perTeam} variables; delete one first.`, "conflict");
      }
      [row] = await tx
        .insert(teamVariables)
        .values({ id, teamId: ctx.team.id, name: input.name, secret: input.secret, ...stored, createdBy: ctx.actor.id })
        .returning();
    }
    if (!row) throw new ServiceError("The variable could not be saved.");
    // Names and the secret flag only: never a value (a plain one may still be sensitive to someone).
    await recordTeamAudit(tx, ctx, {
      action: existing ? "variable.updated" : "variable.created",
      target: { type: "team_variable", id },
      metadata: { name: input.name, secret: input.secret, ...(existing && existing.name !== input.name ? { previousName: existing.name } : {}) },
    });
    return toSummary(row);
  });
}

function storedValue(
  teamId: string,
  id: string,
  input: VariableWrite,
  existing: TeamVariableRow | null,
): Pick<TeamVariableRow, "value" | "secretValue" | "keyId"> {
  if (!input.secret) {
    // A secret value cannot be shown, so it cannot silently become an empty plain one either.
    if (existing?.secret && input.value === "") {
      const message = "Enter the value: a secret variable made visible needs its value typed again.";
      throw new ServiceError(message, "invalid", { value: message });
    }
    return { value: input.value, secretValue: null, keyId: null };
  }
  if (input.value === "") {
    if (existing?.secret && existing.secretValue) return { value: null, secretValue: existing.secretValue, keyId: existing.keyId };
    throw new ServiceError("Enter the secret value.", "invalid", { value: "Enter the secret value." });
  }
  // Shorter values would not be masked (MIN_SECRET_LENGTH): they would hide ordinary words everywhere.
  if (input.value.length < MIN_SECRET_LENGTH) {
    const message = `A secret value needs at least ${MIN_SECRET_LENGTH} characters, or it could not be masked in outputs.`;
    throw new ServiceError(message, "invalid", { value: message });
  }
  const keyring = getKeyring();
  return { value: null, secretValue: encryptJson(keyring, input.value, variableAad(teamId, id)), keyId: keyring.currentKeyId };
}

async function lockedRow(tx: Executor, ctx: TeamContext, id: string): Promise<TeamVariableRow> {
  const [row] = await tx
    .select()
    .from(teamVariables)
    .where(and(eq(teamVariables.id, id), eq(teamVariables.teamId, ctx.team.id)))
    .for("update");
  if (!row) throw new NotFoundError("That variable");
  return row;
}

export async function deleteVariable(db: Database, ctx: TeamContext, id: string): Promise<void> {
  requireRole(ctx, "admin");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(teamVariables)
      .where(and(eq(teamVariables.id, id), eq(teamVariables.teamId, ctx.team.id)))
      .returning({ id: teamVariables.id, name: teamVariables.name, secret: teamVariables.secret });
    if (!row) throw new NotFoundError("That variable");
    await recordTeamAudit(tx, ctx, {
      action: "variable.deleted",
      target: { type: "team_variable", id: row.id },
      metadata: { name: row.name, secret: row.secret },
    });
  });
}

/** What a request or a flow run needs: every value by name, and the secret ones to mask wherever output goes. */
export type TeamVariables = { values: Record<string, string>; secrets: string[] };

export async function loadTeamVariables(db: Executor, teamId: string): Promise<TeamVariables> {
  const rows = await db
    .select({
      id: teamVariables.id,
      name: teamVariables.name,
      secret: teamVariables.secret,
      value: teamVariables.value,
      secretValue: teamVariables.secretValue,
    })
    .from(teamVariables)
    .where(eq(teamVariables.teamId, teamId))
    .limit(VARIABLE_LIMITS.perTeam);
  const values: Record<string, string> = Object.create(null);
  const secrets: string[] = [];
  const keyring = rows.some((r) => r.secret) ? getKeyring() : null;
  for (const row of rows) {
    if (row.secret && row.secretValue && keyring) {
      const value = decryptJson<string>(keyring, row.secretValue, variableAad(teamId, row.id));
      values[row.name] = value;
      secrets.push(value);
    } else if (!row.secret) values[row.name] = row.value ?? "";
    // A secret one without its value (imported without secrets) has no value: a field naming it finds
    // nothing and says so, rather than sending an empty string.
  }
  return { values, secrets };
}

/** A variable as an export carries it: its value decrypted, null for a secret one whose value is not set. */
export type PortableVariable = { id: string; name: string; secret: boolean; value: string | null };

/** Every variable of the team with its value, for an export (the caller seals the secret ones or leaves them out). */
export async function readTeamVariables(db: Executor, ctx: TeamContext): Promise<PortableVariable[]> {
  requireRole(ctx, "admin");
  const rows = await db
    .select()
    .from(teamVariables)
    .where(eq(teamVariables.teamId, ctx.team.id))
    .orderBy(asc(sql`lower(${teamVariables.name})`))
    .limit(VARIABLE_LIMITS.perTeam);
  const keyring = rows.some((r) => r.secret && r.secretValue) ? getKeyring() : null;
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    secret: row.secret,
    value: !row.secret
      ? (row.value ?? "")
      : row.secretValue && keyring
        ? decryptJson<string>(keyring, row.secretValue, variableAad(ctx.team.id, row.id))
        : null,
  }));
}

/**
 * Writes one imported variable inside the import's transaction: a new row under `id`, or (replace) the row
 * `id` already is. A secret one without a value (a bundle without secrets) is kept with no value until an
 * admin types it. The import checks the team's bound once all are written (assertVariableBound).
 */
export async function writeImportedVariable(tx: Executor, ctx: TeamContext, variable: PortableVariable, replace: boolean): Promise<void> {
  requireRole(ctx, "admin");
  // Through the form's schema, as a save from the Variables page: a bundle cannot store what the form refuses.
  const parsed = variableInputSchema.safeParse({ name: variable.name, value: variable.value ?? "", secret: variable.secret });
  if (!parsed.success) {
    const message = `The variable “${variable.name}” is not valid: ${parsed.error.issues[0]?.message} Nothing was imported.`;
    throw new ServiceError(message, "invalid", { bundle: message });
  }
  const stored =
    variable.secret && variable.value === null
      ? { value: null, secretValue: null, keyId: null }
      : storedValue(ctx.team.id, variable.id, parsed.data, null);
  if (replace) {
    await tx
      .update(teamVariables)
      .set({ name: variable.name, secret: variable.secret, ...stored, updatedAt: new Date() })
      .where(and(eq(teamVariables.id, variable.id), eq(teamVariables.teamId, ctx.team.id)));
  } else {
    await tx
      .insert(teamVariables)
      .values({ id: variable.id, teamId: ctx.team.id, name: variable.name, secret: variable.secret, ...stored, createdBy: ctx.actor.id });
  }
}

/** Refuses (the caller's transaction rolls back) when the team now holds more variables than allowed. */
export async function assertVariableBound(tx: Executor, ctx: TeamContext): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`team_variables:${ctx.team.id}`}))`);
  const [{ n }] = await tx.select({ n: count() }).from(teamVariables).where(eq(teamVariables.teamId, ctx.team.id));
  if (n > VARIABLE_LIMITS.perTeam) {
    throw new ServiceError(
      `A team can keep at most ${VARIABLE_LIMITS.perTeam} variables; this import would make ${n}. Nothing was imported.`,
      "conflict",
      {
        bundle: "Too many variables.",
      },
    );
  }
}

/** The team's variable names: what {{vars.NAME}} may name at save time (no value is decrypted). */
export async function teamVariableNames(db: Executor, teamId: string): Promise<Set<string>> {
  const rows = await db
    .select({ name: teamVariables.name })
    .from(teamVariables)
    .where(eq(teamVariables.teamId, teamId))
    .limit(VARIABLE_LIMITS.perTeam);
  return new Set(rows.map((r) => r.name));
}
