import { requestSpecSchema, type RequestSpec } from "@/lib/http/spec";
import { hasExpressions, renderTemplate, resolveFile, validateTemplate, type EvaluationScope, type FieldKind, type MappingScope } from "./mapping";

/**
 * A step's request as the editor saves it: the request builder's spec, where text fields may hold
 * mapping expressions and a multipart file field may take its content from `source`
 * (`{{steps.download.file}}`) instead of an uploaded file. Client-safe.
 */
export type StepSpecTemplate = Record<string, unknown>;

// Enumerations and settings: never mapped.
const NOT_MAPPED = new Set(["type", "method", "responseType", "contentType", "customContentType", "caCertificatePem", "path", "base64"]);

interface TemplateField {
  path: (string | number)[];
  value: string;
  kind: FieldKind;
}

/** Every text of a template that may hold expressions, with the kind of value it takes. */
export function templateFields(template: StepSpecTemplate): TemplateField[] {
  const out: TemplateField[] = [];
  const body = (template.body ?? {}) as Record<string, unknown>;
  const jsonBody = body.type === "raw" && (body.contentType ?? "json") === "json";
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === "string") {
      const key = path[path.length - 1];
      if (typeof key === "string" && NOT_MAPPED.has(key)) return;
      const kind: FieldKind = key === "source" ? "file" : jsonBody && path.join(".") === "body.text" ? "json" : "text";
      out.push({ path, value, kind });
      return;
    }
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    }
  };
  walk(template, []);
  return out;
}

/**
 * Field errors of one step's request, keyed by the path inside the spec ("url", "headers.0.value",
 * "body.fields.1.source"): mapping errors first, then what the request builder itself would refuse.
 */
export function validateStepTemplate(template: StepSpecTemplate, scope: MappingScope): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of templateFields(template)) {
    const error = validateTemplate(field.value, field.kind, scope);
    if (error) errors[field.path.join(".")] ??= error;
  }
  const body = template.body as { type?: string; fields?: Array<Record<string, unknown>> } | undefined;
  body?.fields?.forEach((f, i) => {
    if (f.type === "file" && !f.source && !f.base64)
      errors[`body.fields.${i}.source`] ??= "Attach a file or map one, such as {{steps.download.file}}.";
  });
  // What would the builder say once the expressions are filled in? A placeholder stands in for each value.
  const parsed = requestSpecSchema.safeParse(withPlaceholders(template));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
  }
  return errors;
}

function withPlaceholders(template: StepSpecTemplate): unknown {
  const copy = structuredCloneLoose(template) as Record<string, unknown>;
  for (const field of templateFields(template)) {
    if (field.kind === "file") {
      const owner = getAt(copy, field.path.slice(0, -1)) as Record<string, unknown>;
      delete owner.source;
      owner.buffer = new Uint8Array();
    } else if (hasExpressions(field.value)) {
      setAt(copy, field.path, field.value.replace(/\{\{[\s\S]*?\}\}/g, field.kind === "json" ? "0" : "x"));
    }
  }
  return copy;
}

/** Fills in a step's expressions and validates the result as a request (run time). */
export function resolveStepSpec(template: StepSpecTemplate, scope: EvaluationScope): RequestSpec {
  const copy = structuredCloneLoose(template) as Record<string, unknown>;
  for (const field of templateFields(template)) {
    if (field.kind === "file") {
      const owner = getAt(copy, field.path.slice(0, -1)) as Record<string, unknown>;
      const file = resolveFile(field.value, scope);
      delete owner.source;
      owner.buffer = file.bytes;
      if (!owner.contentType || owner.contentType === "application/octet-stream") owner.contentType = file.contentType;
    } else if (hasExpressions(field.value)) {
      setAt(copy, field.path, renderTemplate(field.value, scope, field.kind === "json" ? "json" : "text"));
    }
  }
  const parsed = requestSpecSchema.safeParse(copy);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StepRequestError(`${issue.path.join(".") || "request"}: ${issue.message}`);
  }
  return parsed.data;
}

export class StepRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepRequestError";
  }
}

function structuredCloneLoose(value: unknown): unknown {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(structuredCloneLoose);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCloneLoose(v)]));
  return value;
}

function getAt(root: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

function setAt(root: unknown, path: (string | number)[], value: unknown) {
  const owner = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  owner[path[path.length - 1]] = value;
}
