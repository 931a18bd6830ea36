import { z } from "zod";
import { exportTeamBundle } from "@/lib/bundle/export-bundle";
import { importTeamBundle, previewImport } from "@/lib/bundle/import-bundle";
import { bundleSchema, importChoicesSchema } from "@/lib/bundle/schema";
import { parseBundle } from "@/lib/bundle/upgrade";
import { LIMITS, text } from "@/lib/validation/fields";
import { defineApiRoute } from "../define-route";

/** Export and import of a whole team (lib/bundle) over the REST API. Admin only; the passphrase travels in the body, never a URL. */

const passphrase = text(LIMITS.short).min(1).optional().describe("Seals the secrets (export) or opens them (import); never stored.");
const bundleBody = z
  .record(z.string(), z.unknown())
  .describe("A team bundle of any published version (#/components/schemas/TeamBundle); older versions are upgraded on import.");

export const exportTeamRoute = defineApiRoute({
  method: "POST",
  path: "/api/v1/team/export",
  operationId: "exportTeam",
  summary: "Export the team as a bundle",
  description:
    "The team's connections, saved requests, flows (with schedules) and Applications (without secrets). With a passphrase, each connection's secrets are sealed with AES-256-GCM under a key derived by scrypt; without one, connections are stubs that need their credentials after import.",
  tag: "Team bundle",
  scope: "team:export",
  role: "admin",
  body: z.object({ passphrase }),
  response: bundleSchema,
  handler: async ({ db, ctx, body }) => exportTeamBundle(db, ctx, { passphrase: body.passphrase }),
});

const importBody = z.object({ bundle: bundleBody, choices: importChoicesSchema.default(importChoicesSchema.parse({})), passphrase });

const plannedItem = z.object({
  kind: z.enum(["variable", "connection", "savedRequest", "flow", "application"]),
  bundleId: z.uuid(),
  name: z.string(),
  action: z.enum(["create", "skip", "rename", "replace"]),
  targetName: z.string(),
  targetId: z.uuid().describe("The id after import (for create and rename, a proposal: the import assigns its own)."),
  existing: z.object({ id: z.uuid(), name: z.string() }).nullable().describe("The team's item of the same name, if any."),
});
const named = z.object({ id: z.uuid(), name: z.string() });

export const previewTeamImportRoute = defineApiRoute({
  method: "POST",
  path: "/api/v1/team/import/preview",
  operationId: "previewTeamImport",
  summary: "Preview importing a bundle",
  description:
    "What an import with these choices would create, skip, rename or replace, and which connection each flow slot and fixed step would use. Nothing is written. With a passphrase, it is checked too.",
  tag: "Team bundle",
  scope: "team:import",
  role: "admin",
  body: importBody,
  bodyLimit: "upload",
  response: z.object({
    team: z.string(),
    exportedAt: z.string(),
    withSecrets: z.boolean(),
    items: z.array(plannedItem),
    flowConnections: z.record(z.string(), z.array(z.object({ key: z.string(), bundleConnection: z.string().nullable(), target: named.nullable() }))),
    teamConnections: z.array(named),
    webhooksToRecreate: z.array(z.string()),
  }),
  handler: async ({ db, ctx, body }) => previewImport(db, ctx, parseBundle(body.bundle), body.choices, body.passphrase),
});

export const importTeamRoute = defineApiRoute({
  method: "POST",
  path: "/api/v1/team/import",
  operationId: "importTeam",
  summary: "Import a bundle into the team",
  description:
    "One transaction: every item is created, renamed, replaced or skipped as chosen, with new ids and references rewritten, or nothing is. A wrong passphrase or a changed byte in the bundle is a 400 and imports nothing. Flows arrive inactive unless choices.activateFlows.",
  tag: "Team bundle",
  scope: "team:import",
  role: "admin",
  body: importBody,
  bodyLimit: "upload",
  status: 201,
  response: z.object({
    created: z.number().int(),
    replaced: z.number().int(),
    skipped: z.number().int(),
    needCredentials: z.array(named).describe("Connections imported without secrets: enter their credentials before use."),
    needValues: z.array(z.string()).describe("Secret variables imported without their values: enter them on the Variables page before use."),
    flows: z.array(named),
  }),
  handler: async ({ db, ctx, body }) => importTeamBundle(db, ctx, parseBundle(body.bundle), body.choices, body.passphrase),
});
