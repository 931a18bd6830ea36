import { z } from "zod";
import { line, LIMITS, text } from "@/lib/validation/fields";

/** Client-safe: the import choices and the Export / Import forms' schemas, shared by the page, its actions and the REST API. */

const id = z.uuid("Expected a uuid.");

/** What the import form and the REST import send beside the bundle: per-item choices. */
export const conflictChoiceSchema = z.enum(["skip", "rename", "replace"]);
export type ConflictChoice = z.infer<typeof conflictChoiceSchema>;

export const importChoicesSchema = z.object({
  /** Per bundle item id (connection, saved request, flow, application): what to do when its name is taken. Default: rename. */
  conflicts: z.record(id, conflictChoiceSchema).default({}),
  /** Per bundle item id: the name to use when renaming; default "<name> (imported)". */
  names: z.record(id, line(LIMITS.name).trim().min(1)).default({}),
  /**
   * Per flow (bundle id) and slot name, or `step:<step name>` for a step's fixed connection: an existing
   * connection of the team to use instead of the one the preview proposes.
   */
  connectionMap: z.record(id, z.record(line(100), id)).default({}),
  /** Keep each flow active as it was exported; otherwise every imported flow starts inactive. */
  activateFlows: z.boolean().default(false),
});
export type ImportChoices = z.infer<typeof importChoicesSchema>;

/** The Export form (UI) and its server action. */
export const exportFormSchema = z
  .object({ withSecrets: z.boolean().default(false), passphrase: text(LIMITS.short).default("") })
  .superRefine((value, ctx) => {
    if (value.withSecrets && value.passphrase.length < 12)
      ctx.addIssue({ code: "custom", path: ["passphrase"], message: "Use a passphrase of at least 12 characters." });
  });

/** The Import form (UI) and its preview and import actions: the file's text, the passphrase, the choices. */
export const importFormSchema = z.object({
  bundleText: z
    .string()
    .min(1, "Choose a bundle file.")
    .max(25 * 1024 * 1024, "The file is larger than 25 MB."),
  passphrase: text(LIMITS.short).default(""),
  choices: importChoicesSchema.default(importChoicesSchema.parse({})),
});
