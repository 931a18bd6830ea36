import { z } from "zod";
import { findExpressions, formatPath, MappingError, type Expression } from "@/lib/flows/mapping";

/**
 * Custom auth's placeholders: `{{secret.<name>}}` (one of the connection's named secrets) and `{{token}}`
 * (the login step's session token). The `{{…}}` syntax and its path reader are the flows' (lib/flows/mapping);
 * filling a placeholder only looks a name up, nothing is evaluated. Client-safe: the form validates with it.
 */

/** What the placeholders of one connection may name. */
export interface PlaceholderScope {
  secretNames: readonly string[];
  /** The login step is on: `{{token}}` exists. */
  token: boolean;
}

export interface PlaceholderValues {
  secrets: Readonly<Record<string, string>>;
  token?: string;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/** A secret's name: what follows `secret.` in a placeholder. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function expressionsOf(text: string): Expression[] {
  try {
    return findExpressions(text);
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    // The flows' wording speaks of input. and steps.; say what a placeholder is here instead.
    if (/not closed/.test(e.message)) throw new TemplateError("A placeholder is not closed: add }} after it.");
    throw new TemplateError("A placeholder is not readable: use {{secret.<name>}} or {{token}}.");
  }
}

/** The error for one text's placeholders, or null when each names something that exists. */
export function placeholderError(text: string, scope: PlaceholderScope): string | null {
  let expressions: Expression[];
  try {
    expressions = expressionsOf(text);
  } catch (e) {
    return (e as Error).message;
  }
  for (const { path } of expressions) {
    const shown = `{{${formatPath(path)}}}`;
    if (path.length === 1 && path[0] === "token") {
      if (!scope.token) return `${shown} is the login step's session token: turn the login step on, or remove it.`;
      continue;
    }
    if (path.length === 2 && path[0] === "secret" && typeof path[1] === "string") {
      if (scope.secretNames.includes(path[1])) continue;
      const known = scope.secretNames.length ? `the secrets are ${scope.secretNames.join(", ")}` : "no secret is defined yet";
      return `${shown} names no secret (${known}).`;
    }
    return `${shown} is not a placeholder: use {{secret.<name>}} or {{token}}.`;
  }
  return null;
}

export function usesToken(text: string): boolean {
  try {
    return expressionsOf(text).some(({ path }) => path.length === 1 && path[0] === "token");
  } catch {
    return false;
  }
}

/** Replaces each placeholder by its value (encoded by `encode`, e.g. for a URL). Unknown names throw. */
export function fillPlaceholders(text: string, values: PlaceholderValues, encode: (v: string) => string = (v) => v): string {
  const expressions = expressionsOf(text);
  let out = "";
  let last = 0;
  for (const { path, start, end } of expressions) {
    out += text.slice(last, start) + encode(placeholderValue(path, values));
    last = end;
  }
  return out + text.slice(last);
}

function placeholderValue(path: Expression["path"], values: PlaceholderValues): string {
  const shown = `{{${formatPath(path)}}}`;
  if (path.length === 1 && path[0] === "token") {
    if (values.token === undefined) throw new TemplateError(`${shown} has no value: the connection has no login step.`);
    return values.token;
  }
  const name = path.length === 2 && path[0] === "secret" ? path[1] : undefined;
  // Own properties only: {{secret.constructor}} must not reach Object.prototype.
  if (typeof name === "string" && Object.hasOwn(values.secrets, name)) return values.secrets[name];
  throw new TemplateError(`${shown} has no value: the connection has no such secret (edit it and save again).`);
}

// ---------------------------------------------------------------------------------------------------------
// The template: where the placeholders go on each API request.

const PLACES = ["headers", "query", "body"] as const;
export type Place = (typeof PLACES)[number];

const entries = z.record(z.string().min(1, "a name is empty"), z.string("each value must be a text in quotes"));

export const templateSchema = z.strictObject(
  { headers: entries.optional(), query: entries.optional(), body: entries.optional() },
  "The template is a JSON object with headers, query and body",
);

export type Template = z.output<typeof templateSchema>;

/** Parses the template text; throws a TemplateError saying what is wrong and where. */
export function parseTemplate(text: string): Template {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TemplateError(`The template is not valid JSON: ${(e as Error).message}.`);
  }
  const parsed = templateSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === "unrecognized_keys") {
    throw new TemplateError(`The template may only have headers, query and body (not ${issue.keys.join(", ")}).`);
  }
  const where = issue.path.length ? `${issue.path.map(String).join(".")}: ` : "";
  throw new TemplateError(`${where}${issue.message}.`);
}

/** Every text of a template with where it is, e.g. ["headers", "X-Api-Key"]. */
export function templateEntries(template: Template): Array<{ place: Place; name: string; value: string }> {
  return PLACES.flatMap((place) => Object.entries(template[place] ?? {}).map(([name, value]) => ({ place, name, value })));
}
