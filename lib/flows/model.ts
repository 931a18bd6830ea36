import { z } from "zod";
import { findNul, line, LIMITS, text, wholeNumber } from "@/lib/validation/fields";
import { checkSchedule } from "./cron";
import type { MappingScope } from "./mapping";
import { validateStepTemplate, type StepSpecTemplate } from "./step-template";

/**
 * A flow's definition: the one schema shared by the editor form (client) and the save action (server).
 * Mapping expressions are checked here, so a bad one is a field error before the flow is saved.
 */

export const STEP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "" (no credentials), "connection:<uuid>" (fixed) or "slot:<slot name>" (chosen per run). */
export type ConnectionRef = { type: "none" } | { type: "connection"; connectionId: string } | { type: "slot"; slot: string };

export function parseConnectionRef(value: string): ConnectionRef | null {
  if (!value) return { type: "none" };
  const fixed = /^connection:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(value);
  if (fixed) return { type: "connection", connectionId: fixed[1].toLowerCase() };
  if (value.startsWith("slot:") && value.length > 5) return { type: "slot", slot: value.slice(5) };
  return null;
}

const slotSchema = z.object({
  name: line(80).trim().min(1, "Name the slot, like CRM account."),
  defaultConnectionId: line(LIMITS.short)
    .nullable()
    .default(null)
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.uuid().safeParse(v).success, "Choose a connection."),
});

export const flowStepSchema = z.object({
  name: line(60)
    .trim()
    .min(1, "Name the step; later steps refer to it by this name.")
    .regex(STEP_NAME, "Use letters, digits and _ only, starting with a letter (e.g. getUser)."),
  connection: line(LIMITS.short).default(""),
  onError: z.enum(["stop", "continue"]).default("stop"),
  spec: z.record(z.string(), z.unknown()),
});

const numberField = (min: number, max: number, label: string) =>
  wholeNumber(`Enter ${label}`).pipe(z.number().min(min, `At least ${min}`).max(max, `At most ${max}`));

export const flowDefinitionSchema = z
  .object({
    name: line(LIMITS.name).trim().min(1, "Enter a name for the flow."),
    description: text(2000).trim().default(""),
    /** The input "Run now" offers, as JSON text (an object). */
    sampleInput: text(LIMITS.json).default("{}"),
    slots: z.array(slotSchema).default([]),
    steps: z.array(flowStepSchema).min(1, "Add at least one step."),
    active: z.boolean().default(true),
    scheduleEnabled: z.boolean().default(false),
    scheduleCron: line(LIMITS.short).trim().default(""),
    scheduleTimezone: line(LIMITS.short).trim().default("UTC"),
    webhookWaitForResult: z.boolean().default(false),
    maxConcurrentRuns: numberField(1, 50, "a number of runs").default(1),
    runRetries: numberField(0, 5, "a number of retries").default(0),
    runTimeoutSeconds: numberField(5, 86_400, "a number of seconds").default(900),
    retentionDays: numberField(1, 3650, "a number of days").default(30),
  })
  .superRefine((flow, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

    const input = parseInputText(flow.sampleInput);
    if (!input.ok) issue(["sampleInput"], input.error);

    const slotNames = new Set<string>();
    flow.slots.forEach((slot, i) => {
      if (slotNames.has(slot.name.toLowerCase())) issue(["slots", i, "name"], "Two slots have this name.");
      slotNames.add(slot.name.toLowerCase());
    });

    const seen = new Set<string>();
    flow.steps.forEach((step, i) => {
      if (seen.has(step.name)) issue(["steps", i, "name"], `Another step is already named “${step.name}”.`);
      seen.add(step.name);
      const ref = parseConnectionRef(step.connection);
      if (!ref) issue(["steps", i, "connection"], "Choose a connection or a slot.");
      else if (ref.type === "slot" && !flow.slots.some((s) => s.name === ref.slot)) {
        issue(["steps", i, "connection"], `There is no slot named “${ref.slot}”.`);
      }
    });
    for (const { path, message } of stepMappingIssues(flow.steps)) issue(path, message);

    if (flow.scheduleEnabled) {
      const check = checkSchedule(flow.scheduleCron, flow.scheduleTimezone, 1);
      if (!check.ok) issue([check.field === "cron" ? "scheduleCron" : "scheduleTimezone"], check.error);
    }
  });

/**
 * The mapping errors of every step, by field path. Without the team's variable names (the schema, in the
 * browser too) {{vars.NAME}} is checked for its form only; the server passes the names when it saves.
 */
export function stepMappingIssues(
  steps: Array<{ name: string; spec: Record<string, unknown> }>,
  variables?: ReadonlySet<string>,
): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  const allSteps = new Set(steps.map((s) => s.name));
  const earlierSteps: MappingScope["earlierSteps"] = new Map();
  steps.forEach((step, i) => {
    const errors = validateStepTemplate(step.spec as StepSpecTemplate, { earlierSteps, allSteps, variables });
    for (const [path, message] of Object.entries(errors))
      out.push({ path: ["steps", i, "spec", ...path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p))], message });
    const responseType = (step.spec.responseType as "json" | "text" | "binary" | undefined) ?? "json";
    earlierSteps.set(step.name, { responseType });
  });
  return out;
}

export type FlowDefinitionInput = z.input<typeof flowDefinitionSchema>;
export type FlowDefinition = z.output<typeof flowDefinitionSchema>;
export type FlowStep = z.output<typeof flowStepSchema>;
export type FlowSlot = z.output<typeof slotSchema>;

export function parseInputText(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() || "{}");
  } catch (e) {
    return { ok: false, error: `The input is not valid JSON: ${(e as Error).message}` };
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return { ok: false, error: 'The input must be a JSON object, like {"customerId": 42}.' };
  // A \u0000 escape is valid JSON but Postgres jsonb cannot store the NUL it stands for.
  const nul = findNul(value);
  if (nul) return { ok: false, error: `The input holds a NUL character (\\u0000)${nul.length ? ` at ${nul.join(".")}` : ""}; remove it.` };
  return { ok: true, value: value as Record<string, unknown> };
}

/** Run now / re-run / webhook: the input and which connection fills each slot. */
export const runFlowSchema = z.object({
  flowId: z.uuid("That flow was not found."),
  input: text(LIMITS.json).default("{}"),
  slotConnections: z.record(line(LIMITS.name), line(LIMITS.short)).default({}),
});

export const flowIdSchema = z.object({ flowId: z.uuid("That flow was not found.") });
export const runIdSchema = z.object({ runId: z.uuid("That run was not found.") });
export const saveFlowSchema = z.object({ flowId: z.uuid().nullable().default(null), flow: flowDefinitionSchema });
