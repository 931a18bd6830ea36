import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { connections, oauthClients, savedRequests, users } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { type ConnectionSecrets, type StoredConfig, splitInput } from "@/lib/connections/config";
import { assertConnectionVariables } from "@/lib/connections/connection-variables";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { COMMON_SECRET_FIELDS } from "@/lib/connections/types/descriptor";
import { sealConnectionSecrets } from "@/lib/connections/secrets";
import { connectionType } from "@/lib/connections/types/registry";
import { ServiceError } from "@/lib/errors/service-error";
import { assertVariableBound, checkRequestVariables, teamVariableNames, usesExpressions, writeImportedVariable } from "@/lib/variables";
import { createFlow, updateFlow } from "@/lib/flows/flows";
import { flowDefinitionSchema, parseConnectionRef } from "@/lib/flows/model";
import { resolveSchedules } from "@/lib/health/health-columns";
import { requestSpecSchema } from "@/lib/http/spec";
import { isKnownScope } from "@/lib/oauth-server/scopes";
import { clientKeyColumns } from "@/lib/oauth-server/client-keys-schema";
import { randomClientId } from "@/lib/oauth-server/secrets";
import { BundleDecryptError, CHECK_PLACE, checkKey, deriveBundleKey, open, sealedAad } from "./crypto";
import { bundleCounts, connectionPlace, variablePlace } from "./export-bundle";
import { planImport, type ImportPlan, type PlannedItem } from "./plan";
import { type Bundle, type BundleConnection, type BundleFlow, bundleClientKeys, type ImportChoices } from "./schema";

/**
 * Import: a preview (planImport, with the passphrase checked when given), then one transaction that
 * creates, renames or replaces every item, all or nothing. Secrets are decrypted before the transaction
 * (scrypt is slow on purpose), so a wrong passphrase or a changed byte stops the import before any write.
 */

export interface ImportPreview extends ImportPlan {
  team: string;
  exportedAt: string;
  withSecrets: boolean;
  /** Flows that had a webhook: the new instance gives them a new URL when one is created there. */
  webhooksToRecreate: string[];
}

export async function previewImport(
  db: Executor,
  ctx: TeamContext,
  bundle: Bundle,
  choices: ImportChoices,
  passphrase?: string,
): Promise<ImportPreview> {
  requireRole(ctx, "admin");
  if (passphrase !== undefined) await openBundleSecrets(bundle, passphrase);
  const plan = await planImport(db, ctx, bundle, choices);
  return {
    ...plan,
    team: bundle.team,
    exportedAt: bundle.exportedAt,
    withSecrets: bundle.secrets.mode === "passphrase",
    webhooksToRecreate: bundle.flows.filter((f) => f.hadWebhook).map((f) => f.name),
  };
}

export interface ImportResult {
  created: number;
  replaced: number;
  skipped: number;
  /** Connections imported without their secrets: their page asks for them. */
  needCredentials: Array<{ id: string; name: string }>;
  /** Secret variables imported without their values: the Variables page asks for them. */
  needValues: string[];
  flows: Array<{ id: string; name: string }>;
}

export async function importTeamBundle(
  db: Database,
  ctx: TeamContext,
  bundle: Bundle,
  choices: ImportChoices,
  passphrase?: string,
): Promise<ImportResult> {
  requireRole(ctx, "admin");
  const secrets = bundle.secrets.mode === "passphrase" ? await openBundleSecrets(bundle, passphrase) : null;
  return db.transaction(async (tx) => {
    const plan = await planImport(tx, ctx, bundle, choices);
    const byBundleId = new Map(plan.items.map((item) => [`${item.kind}:${item.bundleId}`, item]));
    const planned = (kind: PlannedItem["kind"], id: string) => byBundleId.get(`${kind}:${id}`) as PlannedItem;
    const connectionIds = new Map(plan.items.filter((i) => i.kind === "connection").map((i) => [i.bundleId, i.targetId]));
    const result: ImportResult = { created: 0, replaced: 0, skipped: 0, needCredentials: [], needValues: [], flows: [] };
    const count = (item: PlannedItem) => {
      if (item.action === "skip") result.skipped++;
      else if (item.action === "replace") result.replaced++;
      else result.created++;
    };

    // Variables first: saving a flow checks that every {{vars.NAME}} it names exists.
    for (const variable of bundle.variables ?? []) {
      const item = planned("variable", variable.id);
      count(item);
      if (item.action === "skip") continue;
      const value = variable.isSecret ? (secrets?.variables.get(variable.id) ?? null) : (variable.value ?? "");
      await writeImportedVariable(tx, ctx, { id: item.targetId, name: item.targetName, secret: variable.isSecret, value }, item.action === "replace");
      if (variable.isSecret && value === null) result.needValues.push(item.targetName);
    }
    if (bundle.variables?.length) await assertVariableBound(tx, ctx);

    for (const connection of bundle.connections) {
      const item = planned("connection", connection.id);
      count(item);
      if (item.action === "skip") continue;
      const stub = await writeConnection(tx, ctx, item, connection, secrets?.connections.get(connection.id));
      if (stub) result.needCredentials.push({ id: item.targetId, name: item.targetName });
    }

    let variableNames: Set<string> | undefined;
    for (const request of bundle.savedRequests) {
      const item = planned("savedRequest", request.id);
      count(item);
      if (item.action === "skip") continue;
      const spec = requestSpecSchema.safeParse(request.spec);
      if (!spec.success) throw itemError("saved request", request.name, spec.error.issues[0]);
      // As saving it would: each {{vars.NAME}} names a variable the team has (the import wrote the bundle's first).
      if (usesExpressions(spec.data)) {
        try {
          checkRequestVariables(spec.data, (variableNames ??= await teamVariableNames(tx, ctx.team.id)), { input: true });
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          throw itemError("saved request", request.name, { path: Object.keys(err.fieldErrors ?? {}).slice(0, 1), message: err.message });
        }
      }
      const connectionId = request.connectionId ? (connectionIds.get(request.connectionId) ?? null) : null;
      const values = { name: item.targetName, connectionId, spec: request.spec, updatedAt: new Date() };
      if (item.action === "replace")
        await tx
          .update(savedRequests)
          .set(values)
          .where(and(eq(savedRequests.id, item.targetId), eq(savedRequests.teamId, ctx.team.id)));
      else await tx.insert(savedRequests).values({ ...values, id: item.targetId, teamId: ctx.team.id, createdBy: ctx.actor.id });
    }

    for (const flow of bundle.flows) {
      const item = planned("flow", flow.id);
      count(item);
      if (item.action === "skip") continue;
      const def = flowDefinition(flow, item.targetName, plan, choices.activateFlows);
      const saved = item.action === "replace" ? await updateFlow(tx, ctx, item.targetId, def) : await createFlow(tx, ctx, def);
      result.flows.push({ id: saved.id, name: item.targetName });
    }

    for (const app of bundle.applications) {
      const item = planned("application", app.id);
      count(item);
      if (item.action === "skip") continue;
      const values = {
        name: item.targetName,
        grantType: app.grantType,
        authMethod: app.authMethod,
        ...clientKeyColumns(bundleClientKeys(app)),
        redirectUris: app.grantType === "authorization_code" ? app.redirectUris : [],
        // A scope this version does not know is dropped rather than stored unusable.
        scopes: app.scopes.filter(isKnownScope),
        role: app.role,
        accessTokenFormat: app.accessTokenFormat,
        secretLifetimeDays: app.secretLifetimeDays,
        accessTokenTtlSeconds: app.accessTokenTtlSeconds,
        refreshTokenTtlSeconds: app.refreshTokenTtlSeconds,
      };
      if (item.action === "replace") {
        await tx
          .update(oauthClients)
          .set(values)
          .where(and(eq(oauthClients.id, item.targetId), eq(oauthClients.teamId, ctx.team.id)));
        continue;
      }
      let serviceUserId: string | null = null;
      if (app.grantType === "client_credentials") {
        // As createApplication does: a service member nobody can sign in as; no secret until an admin makes one.
        const [user] = await tx
          .insert(users)
          .values({ name: `app:${item.targetName}`, email: `app-${randomUUID()}@apps.plugboard.invalid`, passwordHash: "!" })
          .returning({ id: users.id });
        serviceUserId = user.id;
      }
      await tx
        .insert(oauthClients)
        .values({ ...values, id: item.targetId, teamId: ctx.team.id, clientId: randomClientId(), serviceUserId, createdBy: ctx.actor.id });
    }

    await recordTeamAudit(tx, ctx, {
      action: "team.imported",
      target: { type: "team", id: ctx.team.id },
      metadata: {
        ...bundleCounts(bundle),
        created: result.created,
        replaced: result.replaced,
        skipped: result.skipped,
        needCredentials: result.needCredentials.length,
        needValues: result.needValues.length,
      },
    });
    return result;
  });
}

type OpenedSecrets = { connections: Map<string, ConnectionSecrets>; variables: Map<string, string> };

/** Every connection's secrets and secret variable's value, decrypted; refuses (nothing imported) on a wrong passphrase or a changed byte. */
async function openBundleSecrets(bundle: Bundle, passphrase: string | undefined): Promise<OpenedSecrets> {
  const header = bundle.secrets;
  if (header.mode !== "passphrase") return { connections: new Map(), variables: new Map() };
  if (!passphrase) throw new BundleDecryptError("This bundle holds secrets: enter the passphrase it was exported with.");
  const aadHeader = { format: bundle.format, version: bundle.version, exportedAt: bundle.exportedAt, kdf: header.kdf };
  const key = await deriveBundleKey(passphrase, header.kdf);
  checkKey(key, header.check, sealedAad(aadHeader, CHECK_PLACE));
  const opened = new Map<string, ConnectionSecrets>();
  for (const connection of bundle.connections) {
    if (!connection.secrets) continue;
    const text = open(key, connection.secrets, sealedAad(aadHeader, connectionPlace(connection.id)));
    if (text === null)
      throw new BundleDecryptError(
        `The bundle was changed after export: the secrets of connection “${connection.name}” do not decrypt. Nothing was imported.`,
      );
    opened.set(connection.id, JSON.parse(text) as ConnectionSecrets);
  }
  const variables = new Map<string, string>();
  for (const variable of bundle.variables ?? []) {
    if (!variable.secret) continue;
    const text = open(key, variable.secret, sealedAad(aadHeader, variablePlace(variable.id)));
    if (text === null)
      throw new BundleDecryptError(
        `The bundle was changed after export: the value of variable “${variable.name}” does not decrypt. Nothing was imported.`,
      );
    variables.set(variable.id, text);
  }
  return { connections: opened, variables };
}

/** Writes one connection; returns true when it is a stub waiting for its credentials. */
async function writeConnection(
  tx: Executor,
  ctx: TeamContext,
  item: PlannedItem,
  connection: BundleConnection,
  secrets: ConnectionSecrets | undefined,
): Promise<boolean> {
  let type: ReturnType<typeof connectionType>;
  try {
    type = connectionType(connection.type);
  } catch {
    throw new ServiceError(`Connection “${connection.name}” has a type this Plugboard does not know (${connection.type}).`, "invalid", {
      bundle: "Unknown connection type.",
    });
  }
  const secretFields = new Set<string>([...type.form.secretFields, ...COMMON_SECRET_FIELDS]);
  const stub = secrets === undefined && type.form.secretFields.length > 0;
  // Through the type's form schema, as a save from the form: a setting this version added gets its default,
  // and a bundle cannot store what the form would refuse. A stub lacks only its secret fields.
  const { allowedHosts: _derived, ...settings } = connection.config;
  const input = { ...type.form.defaults, ...settings, ...secrets, type: type.type, name: item.targetName };
  const parsed = connectionInputSchema.safeParse(input);
  let config: StoredConfig;
  let sealed: ConnectionSecrets = secrets ?? {};
  if (parsed.success) {
    const split = splitInput(parsed.data);
    config = split.config;
    // The tokens a connection holds are no form fields: they come from the bundle's secrets as they are.
    sealed = { ...secrets, ...split.secrets };
  } else {
    const problem = parsed.error.issues.find((issue) => !(stub && secretFields.has(String(issue.path[0]))));
    if (problem) throw itemError("connection", connection.name, problem);
    const withoutSecrets = Object.fromEntries(Object.entries(input).filter(([field]) => !secretFields.has(field)));
    config = { ...withoutSecrets, allowedHosts: connection.config.allowedHosts ?? [] } as StoredConfig;
  }
  // Its {{vars.NAME}} (Test URL, Host) must name the team's variables, which the import wrote first.
  await assertConnectionVariables(tx, ctx.team.id, config).catch((err: unknown) => {
    if (!(err instanceof ServiceError)) throw err;
    throw itemError("connection", connection.name, { path: Object.keys(err.fieldErrors ?? {}).slice(0, 1), message: err.message });
  });
  const schedules = resolveSchedules(item.targetId, config, new Date());
  const values = {
    name: item.targetName,
    type: type.type,
    config,
    ...sealConnectionSecrets(ctx.team.id, item.targetId, sealed),
    expiredStatuses: connection.expiredStatuses,
    ...schedules,
    // A stub has nothing to check or keep alive until its credentials are typed (saving them schedules both).
    ...(stub && { nextCheckAt: null, nextKeepAliveAt: null }),
    expiresAt: connection.expiresAt ? new Date(connection.expiresAt) : null,
    status: stub ? "needs_credentials" : "never_verified",
    lastVerifiedAt: null,
    lastVerifyOk: null,
    lastVerifyMessage: null,
    // The token came along only with the secrets; a stub gets its own when its credentials are typed.
    grantedScopes: secrets ? connection.grantedScopes : null,
    tokenExpiresAt: secrets && connection.tokenExpiresAt ? new Date(connection.tokenExpiresAt) : null,
    tokenIssuedAt: secrets && connection.tokenIssuedAt ? new Date(connection.tokenIssuedAt) : null,
    updatedAt: new Date(),
  };
  if (item.action === "replace") {
    await tx
      .update(connections)
      .set({
        ...values,
        tokenVersion: sql`${connections.tokenVersion} + 1`,
        refreshLeaseHolder: null,
        refreshLeaseExpiresAt: null,
        refreshFailure: null,
      })
      .where(and(eq(connections.id, item.targetId), eq(connections.teamId, ctx.team.id)));
  } else {
    await tx.insert(connections).values({ ...values, id: item.targetId, teamId: ctx.team.id, createdBy: ctx.actor.id });
  }
  return stub;
}

/** The flow as the editor would save it, with every connection reference rewritten to the import's ids. */
function flowDefinition(flow: BundleFlow, name: string, plan: ImportPlan, activate: boolean) {
  const targets = new Map((plan.flowConnections[flow.id] ?? []).map((ref) => [ref.key, ref.target?.id ?? null]));
  const steps = flow.steps.map((step) => {
    const ref = parseConnectionRef(typeof step.connection === "string" ? step.connection : "");
    if (ref?.type !== "connection") return step;
    const target = targets.get(`step:${String(step.name)}`);
    if (!target)
      throw new ServiceError(`Flow “${flow.name}” step “${String(step.name)}” uses a connection the bundle does not hold: choose one.`, "invalid", {
        connectionMap: "Choose a connection.",
      });
    return { ...step, connection: `connection:${target}` };
  });
  const parsed = flowDefinitionSchema.safeParse({
    name,
    description: flow.description,
    sampleInput: JSON.stringify(flow.sampleInput),
    slots: flow.slots.map((slot) => ({ name: slot.name, defaultConnectionId: targets.get(`slot:${slot.name}`) ?? null })),
    steps,
    active: activate ? flow.active : false,
    scheduleEnabled: flow.scheduleCron !== null,
    scheduleCron: flow.scheduleCron ?? "",
    scheduleTimezone: flow.scheduleTimezone,
    webhookWaitForResult: flow.webhookWaitForResult,
    maxConcurrentRuns: flow.maxConcurrentRuns,
    runRetries: flow.runRetries,
    runTimeoutSeconds: flow.runTimeoutSeconds,
    retentionDays: flow.retentionDays,
  });
  if (!parsed.success) throw itemError("flow", flow.name, parsed.error.issues[0]);
  return parsed.data;
}

function itemError(kind: string, name: string, issue: { path: PropertyKey[]; message: string }): ServiceError {
  const where = issue.path.map(String).join(".");
  const message = `The ${kind} “${name}” is not valid${where ? ` at ${where}` : ""}: ${issue.message} Nothing was imported.`;
  return new ServiceError(message, "invalid", { bundle: message });
}
