import { z } from "zod";
import { formatPath, MappingError, type PathSegment, parsePath } from "@/lib/flows/mapping";

/**
 * Custom auth's placeholders: `{{secret.<name>}}` (one of the connection's named secrets), `{{token}}` (the
 * login step's session token) and `{{base64 secret.user ':' secret.pass}}` (the base64 of its parts, secrets
 * and 'quoted' texts, joined). Paths are read with the flows' reader (lib/flows/mapping); filling a
 * placeholder only looks names up, nothing is evaluated. Client-safe: the form validates with it.
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

type Part = { path: PathSegment[] } | { literal: string };

interface Placeholder {
  /** `{{…}}` as written, for messages. */
  shown: string;
  base64: boolean;
  parts: Part[];
  start: number;
  end: number;
}

const BASE64 = /^base64\s+/;
const ARGUMENT = /\s*(?:'([^']*)'|([^\s']+))/y;

/** Every placeholder of a text, in order; throws a TemplateError for one that cannot be read. */
function placeholdersOf(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  for (let from = 0; ; ) {
    const start = text.indexOf("{{", from);
    if (start < 0) return out;
    const close = text.indexOf("}}", start + 2);
    if (close < 0) throw new TemplateError("A placeholder is not closed: add }} after it.");
    const source = text.slice(start + 2, close).trim();
    const shown = `{{${source}}}`;
    if (source.includes("{{")) throw new TemplateError("A placeholder is not closed: add }} after it.");
    const base64 = BASE64.test(source);
    out.push({
      shown,
      base64,
      parts: base64 ? argumentsOf(source.replace(BASE64, ""), shown) : [{ path: pathOf(source, shown) }],
      start,
      end: close + 2,
    });
    from = close + 2;
  }
}

function argumentsOf(source: string, shown: string): Part[] {
  const parts: Part[] = [];
  ARGUMENT.lastIndex = 0;
  for (let m = ARGUMENT.exec(source); m; m = ARGUMENT.exec(source)) {
    parts.push(m[1] !== undefined ? { literal: m[1] } : { path: pathOf(m[2], shown) });
    if (ARGUMENT.lastIndex >= source.length) break;
  }
  if (ARGUMENT.lastIndex < source.trimEnd().length || !parts.length) {
    throw new TemplateError(`${shown} is not readable: write {{base64 secret.user ':' secret.pass}} (secrets and 'texts' in single quotes).`);
  }
  return parts;
}

function pathOf(source: string, shown: string): PathSegment[] {
  try {
    return parsePath(source);
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    // The flows' wording speaks of input. and steps.; say what a placeholder is here instead.
    throw new TemplateError(`${shown} is not a placeholder: use {{secret.<name>}}, {{token}} or {{base64 …}}.`);
  }
}

const isToken = (path: PathSegment[]) => path.length === 1 && path[0] === "token";
const secretName = (path: PathSegment[]) => (path.length === 2 && path[0] === "secret" && typeof path[1] === "string" ? path[1] : undefined);

/** The error for one text's placeholders, or null when each names something that exists. */
export function placeholderError(text: string, scope: PlaceholderScope): string | null {
  let placeholders: Placeholder[];
  try {
    placeholders = placeholdersOf(text);
  } catch (e) {
    if (e instanceof TemplateError) return e.message;
    throw e;
  }
  for (const { shown, base64, parts } of placeholders) {
    for (const part of parts) {
      if (!("path" in part)) continue;
      const path = part.path;
      const where = base64 ? `${shown}: {{${formatPath(path)}}}` : shown;
      if (isToken(path)) {
        // Its encoded form could not be masked: the token is only known once the login has run.
        if (base64) return `${shown}: the session token cannot be base64-encoded; place {{token}} on its own.`;
        if (!scope.token) return `${shown} is the login step's session token: turn the login step on, or remove it.`;
        continue;
      }
      const name = secretName(path);
      if (name === undefined) return `${where} is not a placeholder: use {{secret.<name>}}, {{token}} or {{base64 …}}.`;
      if (!scope.secretNames.includes(name)) {
        const known = scope.secretNames.length ? `the secrets are ${scope.secretNames.join(", ")}` : "no secret is defined yet";
        return `${where} names no secret (${known}).`;
      }
    }
  }
  return null;
}

export function usesToken(text: string): boolean {
  try {
    return placeholdersOf(text).some((p) => !p.base64 && "path" in p.parts[0] && isToken(p.parts[0].path));
  } catch {
    return false;
  }
}

/** Replaces each placeholder by its value (encoded by `encode`, e.g. for a URL). Unknown names throw. */
export function fillPlaceholders(text: string, values: PlaceholderValues, encode: (v: string) => string = (v) => v): string {
  let out = "";
  let last = 0;
  for (const p of placeholdersOf(text)) {
    out += text.slice(last, p.start) + encode(placeholderValue(p, values));
    last = p.end;
  }
  return out + text.slice(last);
}

/** The base64 values a text's {{base64 …}} placeholders produce: forms of the secrets to mask. */
export function encodedValues(text: string, values: PlaceholderValues): string[] {
  try {
    return placeholdersOf(text)
      .filter((p) => p.base64)
      .map((p) => placeholderValue(p, values));
  } catch {
    return [];
  }
}

function placeholderValue(p: Placeholder, values: PlaceholderValues): string {
  const joined = p.parts.map((part) => ("literal" in part ? part.literal : pathValue(part.path, p.shown, values))).join("");
  return p.base64 ? base64(joined) : joined;
}

function pathValue(path: PathSegment[], shown: string, values: PlaceholderValues): string {
  if (isToken(path)) {
    if (values.token === undefined) throw new TemplateError(`${shown} has no value: the connection has no login step.`);
    return values.token;
  }
  const name = secretName(path);
  // Own properties only: {{secret.constructor}} must not reach Object.prototype.
  if (name !== undefined && Object.hasOwn(values.secrets, name)) return values.secrets[name];
  throw new TemplateError(`${shown} has no value: the connection has no such secret (edit it and save again).`);
}

/** Base64 of the UTF-8 bytes (btoa alone takes Latin-1 only). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
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
  for (const place of PLACES) {
    const entries = (json as Record<string, unknown> | null)?.[place];
    // zod's record (like any plain object) would drop the name silently; refuse it with words.
    if (entries && typeof entries === "object" && Object.hasOwn(entries, "__proto__"))
      throw new TemplateError(`${place}.__proto__: this name cannot be used.`);
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
