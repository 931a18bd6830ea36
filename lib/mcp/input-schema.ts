import { findExpressions, MappingError } from "@/lib/flows/mapping";
import { templateFields, type StepSpecTemplate } from "@/lib/flows/step-template";

/**
 * The JSON Schema a tool's arguments are checked against, generated from what the wrapped request or
 * flow reads: every `{{input.NAME…}}` it uses becomes a required property (a string where it fills a
 * text field, any JSON value where it fills a JSON body), and a flow's sample input adds its keys typed
 * by their sample values. Admins may edit it before saving.
 */
export type ToolInputSchema = {
  type: "object";
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties?: boolean;
};

function jsonType(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return { type: "array" };
  if (value === null) return {};
  switch (typeof value) {
    case "string":
      return { type: "string" };
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "object":
      return { type: "object" };
    default:
      return {};
  }
}

/** The input names a template reads, with whether each fills a JSON body (then any JSON value fits). */
function inputsRead(template: StepSpecTemplate, into: Map<string, Record<string, unknown>>) {
  for (const field of templateFields(template)) {
    let expressions: ReturnType<typeof findExpressions>;
    try {
      expressions = findExpressions(field.value);
    } catch (error) {
      if (error instanceof MappingError) continue;
      throw error;
    }
    for (const { path } of expressions) {
      if (path[0] !== "input" || typeof path[1] !== "string") continue;
      // Read deeper (input.user.id): an object; in a JSON body: any value; else the text a field takes.
      const shape = path.length > 2 ? { type: "object" } : field.kind === "json" ? {} : { type: "string" };
      if (!into.has(path[1]) || Object.keys(into.get(path[1]) ?? {}).length === 0) into.set(path[1], shape);
    }
  }
}

function schemaOf(read: Map<string, Record<string, unknown>>, sample: Record<string, unknown> = {}): ToolInputSchema {
  const properties: ToolInputSchema["properties"] = {};
  for (const [name, value] of Object.entries(sample)) properties[name] = jsonType(value);
  for (const [name, shape] of read) properties[name] = { ...properties[name], ...shape };
  const required = [...read.keys()].sort();
  return { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

export function requestInputSchema(spec: StepSpecTemplate): ToolInputSchema {
  const read = new Map<string, Record<string, unknown>>();
  inputsRead(spec, read);
  return schemaOf(read);
}

export function flowInputSchema(flow: { steps: { spec: StepSpecTemplate }[]; sampleInput: Record<string, unknown> }): ToolInputSchema {
  const read = new Map<string, Record<string, unknown>>();
  for (const step of flow.steps) inputsRead(step.spec, read);
  return schemaOf(read, flow.sampleInput);
}
