import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections, flows, oauthClients, savedRequests, teamVariables } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { parseConnectionRef } from "@/lib/flows/model";
import type { Bundle, BundleFlow, ConflictChoice, ImportChoices } from "./schema";

/**
 * What an import will do, item by item: the preview shows it and the import carries it out, so the two
 * cannot disagree. Names are compared as the unique indexes do (connections and flows case-insensitively,
 * saved requests exactly, Applications case-insensitively though nothing enforces it).
 */

export type ItemKind = "variable" | "connection" | "savedRequest" | "flow" | "application";

export interface PlannedItem {
  kind: ItemKind;
  bundleId: string;
  name: string;
  /** create: a new item; skip: keep the existing one (references go to it); rename: a new item under `targetName`; replace: overwrite the existing one. */
  action: "create" | ConflictChoice;
  targetName: string;
  /** The id the item has after import: new for create and rename, the existing one for skip and replace. */
  targetId: string;
  existing: { id: string; name: string } | null;
}

export interface PlannedFlowConnection {
  /** `slot:<name>` (the slot's default) or `step:<name>` (a step's fixed connection). */
  key: string;
  /** The bundle's connection name, or null when the bundle does not hold it. */
  bundleConnection: string | null;
  /** The connection it will use, by id and name (an item of this import or an existing connection). */
  target: { id: string; name: string } | null;
}

export interface ImportPlan {
  items: PlannedItem[];
  flowConnections: Record<string, PlannedFlowConnection[]>;
  /** Every existing connection of the team, for the preview's mapping pickers. */
  teamConnections: Array<{ id: string; name: string }>;
}

type Named = { id: string; name: string };

export async function planImport(db: Executor, ctx: TeamContext, bundle: Bundle, choices: ImportChoices): Promise<ImportPlan> {
  const team = ctx.team.id;
  const existingConnections = await db.select({ id: connections.id, name: connections.name }).from(connections).where(eq(connections.teamId, team));
  const existingRequests = await db
    .select({ id: savedRequests.id, name: savedRequests.name })
    .from(savedRequests)
    .where(eq(savedRequests.teamId, team));
  const existingFlows = await db.select({ id: flows.id, name: flows.name }).from(flows).where(eq(flows.teamId, team));
  const existingApps = await db
    .select({ id: oauthClients.id, name: oauthClients.name })
    .from(oauthClients)
    .where(and(eq(oauthClients.teamId, team), eq(oauthClients.configuredBy, "customer")));

  const existingVariables = await db
    .select({ id: teamVariables.id, name: teamVariables.name })
    .from(teamVariables)
    .where(eq(teamVariables.teamId, team));

  const lower = (s: string) => s.toLowerCase();
  const items = [
    ...planVariables(bundle.variables ?? [], existingVariables, choices),
    ...planKind("connection", bundle.connections, existingConnections, lower, choices),
    ...planKind("savedRequest", bundle.savedRequests, existingRequests, (s) => s, choices),
    ...planKind("flow", bundle.flows, existingFlows, lower, choices),
    ...planKind("application", bundle.applications, existingApps, lower, choices),
  ];

  const connectionTarget = new Map<string, Named>();
  for (const item of items) if (item.kind === "connection") connectionTarget.set(item.bundleId, { id: item.targetId, name: item.targetName });
  const bundleNames = new Map(bundle.connections.map((c) => [c.id, c.name]));
  const teamById = new Map(existingConnections.map((c) => [c.id, c]));
  const flowConnections: ImportPlan["flowConnections"] = {};
  for (const flow of bundle.flows) {
    flowConnections[flow.id] = flowReferences(flow).map(({ key, connectionId }) => {
      const chosen = choices.connectionMap[flow.id]?.[key];
      if (chosen) {
        const existing = teamById.get(chosen);
        if (!existing)
          throw new ServiceError(`The connection chosen for “${flow.name}” ${key} is not one of the team's.`, "invalid", {
            connectionMap: "Choose one of the team's connections.",
          });
        return { key, bundleConnection: connectionId ? (bundleNames.get(connectionId) ?? null) : null, target: existing };
      }
      return {
        key,
        bundleConnection: connectionId ? (bundleNames.get(connectionId) ?? null) : null,
        target: connectionId ? (connectionTarget.get(connectionId) ?? null) : null,
      };
    });
  }
  return { items, flowConnections, teamConnections: existingConnections.sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Every connection a flow names: each slot's default and each step's fixed connection. */
export function flowReferences(flow: BundleFlow): Array<{ key: string; connectionId: string | null }> {
  const refs: Array<{ key: string; connectionId: string | null }> = flow.slots.map((slot) => ({
    key: `slot:${slot.name}`,
    connectionId: slot.defaultConnectionId,
  }));
  for (const step of flow.steps) {
    const ref = parseConnectionRef(typeof step.connection === "string" ? step.connection : "");
    if (ref?.type === "connection") refs.push({ key: `step:${String(step.name)}`, connectionId: ref.connectionId });
  }
  return refs;
}

function planKind(kind: ItemKind, bundleItems: Named[], existing: Named[], key: (name: string) => string, choices: ImportChoices): PlannedItem[] {
  const taken = new Set(existing.map((e) => key(e.name)));
  const byName = new Map(existing.map((e) => [key(e.name), e]));
  const seen = new Set<string>();
  return bundleItems.map((item) => {
    if (seen.has(key(item.name)))
      throw new ServiceError(`The bundle holds two ${kind}s named “${item.name}”.`, "invalid", { bundle: "Duplicate names." });
    seen.add(key(item.name));
    const found = byName.get(key(item.name)) ?? null;
    if (!found && !choices.names[item.id]) {
      taken.add(key(item.name));
      return { kind, bundleId: item.id, name: item.name, action: "create", targetName: item.name, targetId: randomUUID(), existing: null };
    }
    const action: ConflictChoice = found ? (choices.conflicts[item.id] ?? "rename") : "rename";
    if (action === "skip" || action === "replace") {
      return {
        kind,
        bundleId: item.id,
        name: item.name,
        action,
        targetName: found?.name ?? item.name,
        targetId: found?.id ?? randomUUID(),
        existing: found,
      };
    }
    const wanted = choices.names[item.id];
    if (wanted && taken.has(key(wanted)))
      throw new ServiceError(`The name “${wanted}” is taken.`, "conflict", { [`names.${item.id}`]: "Choose another name." });
    const targetName = wanted ?? freeName(`${item.name} (imported)`, taken, key);
    taken.add(key(targetName));
    return { kind, bundleId: item.id, name: item.name, action: found ? "rename" : "create", targetName, targetId: randomUUID(), existing: found };
  });
}

/**
 * Variables are named by `{{vars.NAME}}` in the bundle's requests and flows, so one is never renamed: a
 * name the team already has keeps the team's value (skip, the default) or takes the bundle's (replace).
 */
function planVariables(bundleItems: Named[], existing: Named[], choices: ImportChoices): PlannedItem[] {
  const byName = new Map(existing.map((e) => [e.name.toLowerCase(), e]));
  const seen = new Set<string>();
  return bundleItems.map((item) => {
    const key = item.name.toLowerCase();
    if (seen.has(key)) throw new ServiceError(`The bundle holds two variables named “${item.name}”.`, "invalid", { bundle: "Duplicate names." });
    seen.add(key);
    const found = byName.get(key) ?? null;
    if (!found)
      return {
        kind: "variable",
        bundleId: item.id,
        name: item.name,
        action: "create",
        targetName: item.name,
        targetId: randomUUID(),
        existing: null,
      };
    const choice = choices.conflicts[item.id] ?? "skip";
    if (choice === "rename" || choices.names[item.id])
      throw new ServiceError(
        `The variable “${item.name}” cannot be renamed: the bundle's requests and flows name it. Keep the team's or replace it.`,
        "invalid",
        {
          [`conflicts.${item.id}`]: "Choose keep or replace.",
        },
      );
    return { kind: "variable", bundleId: item.id, name: item.name, action: choice, targetName: found.name, targetId: found.id, existing: found };
  });
}

function freeName(base: string, taken: Set<string>, key: (name: string) => string): string {
  if (!taken.has(key(base))) return base;
  for (let n = 2; ; n++) if (!taken.has(key(`${base} ${n}`))) return `${base} ${n}`;
}
