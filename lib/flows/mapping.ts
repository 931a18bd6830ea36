/**
 * Mapping expressions: `{{input.customerId}}`, `{{steps.getUser.body.id}}`, `{{steps.download.file}}`, and
 * the team's variables `{{vars.NAME}}` (also in a lone request: the request builder, the REST run, cURL).
 * A path starts at `input`, `steps.<name>` or `vars.<NAME>` and continues with `.key`, `[0]` or `["any key"]`. No code
 * runs: an expression only reads a value. Imported by the editor (validation as you type) and the runner.
 */

import { readOwnProperty, type PathKey } from "@/lib/paths/own-path";

export type PathSegment = PathKey;

export interface Expression {
  /** The text between the braces, trimmed. */
  source: string;
  path: PathSegment[];
  /** Offsets of `{{` and just past `}}` in the template. */
  start: number;
  end: number;
}

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MappingError";
  }
}

const IDENT = /^[A-Za-z_$][\w$-]*/;

/** Splits `steps.getUser.body.items[0]["display name"]` into segments, or throws a MappingError. */
export function parsePath(source: string): PathSegment[] {
  const text = source.trim();
  if (!text) throw new MappingError("An expression is empty: write a path such as {{input.id}}.");
  const segments: PathSegment[] = [];
  let rest = text;
  const first = IDENT.exec(rest);
  if (!first) throw new MappingError(`“${text}” is not a path: start with input., steps. or vars.`);
  segments.push(first[0]);
  rest = rest.slice(first[0].length);
  while (rest) {
    if (rest.startsWith(".")) {
      const m = IDENT.exec(rest.slice(1)) ?? /^\d+/.exec(rest.slice(1));
      if (!m) throw new MappingError(`“${text}”: a name must follow each dot.`);
      segments.push(/^\d+$/.test(m[0]) ? Number(m[0]) : m[0]);
      rest = rest.slice(1 + m[0].length);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = /^\[("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\]/.exec(rest);
    if (quoted) {
      const inner = quoted[1].slice(1, -1).replace(/\\(.)/g, "$1");
      segments.push(inner);
      rest = rest.slice(quoted[0].length);
      continue;
    }
    throw new MappingError(`“${text}” is not a path: use .name, [0] or ["a key"] after ${formatPath(segments)}.`);
  }
  return segments;
}

/** Every `{{…}}` in a text, in order. Unclosed braces and unreadable paths throw a MappingError. */
export function findExpressions(template: string): Expression[] {
  const out: Expression[] = [];
  let from = 0;
  for (;;) {
    const start = template.indexOf("{{", from);
    if (start < 0) return out;
    const close = template.indexOf("}}", start + 2);
    if (close < 0) throw new MappingError("An expression is not closed: add }} after the path.");
    const source = template.slice(start + 2, close).trim();
    if (source.includes("{{")) throw new MappingError("An expression is not closed: add }} after the path.");
    out.push({ source, path: parsePath(source), start, end: close + 2 });
    from = close + 2;
  }
}

export function hasExpressions(text: string): boolean {
  return text.includes("{{");
}

export function formatPath(path: PathSegment[]): string {
  return path
    .map((s, i) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`))
    .join("");
}

// ---------------------------------------------------------------------------------------------------------
// Validation (editor and save): which names exist is known from the flow definition alone.

export type FieldKind = "text" | "json" | "file";

export interface MappingScope {
  /** Steps that run before the one being checked, by name, with their response type. */
  earlierSteps: Map<string, { responseType: "json" | "text" | "binary" }>;
  /** Every step name of the flow, to tell "runs later" from "does not exist". */
  allSteps: Set<string>;
  /**
   * The team's variable names. Absent where they are not known (the editor's schema in the browser): then
   * only the form of {{vars.NAME}} is checked, and the server checks the names when it saves.
   */
  variables?: ReadonlySet<string>;
  /** A request outside a flow (request builder, REST run): only {{vars.NAME}} exists there. */
  standalone?: boolean;
  /** With `standalone`: {{input.NAME}} exists too (a saved request, which an MCP tool call runs with its arguments). */
  standaloneInput?: boolean;
}

/** The scope of a request outside a flow; with `input`, one run with arguments (an MCP tool's saved request). */
export function standaloneScope(variables?: ReadonlySet<string>, options: { input?: boolean } = {}): MappingScope {
  return { earlierSteps: new Map(), allSteps: new Set(), variables, standalone: true, standaloneInput: options.input === true };
}

const STEP_PARTS = ["status", "headers", "body", "file"] as const;

/** The error for a template in one field, or null when every expression can be resolved at run time. */
export function validateTemplate(template: string, kind: FieldKind, scope: MappingScope): string | null {
  let expressions: Expression[];
  try {
    expressions = findExpressions(template);
  } catch (e) {
    return (e as Error).message;
  }
  if (kind === "file") {
    if (expressions.length !== 1 || template.trim() !== template.slice(expressions[0].start, expressions[0].end)) {
      return "A file field takes one expression, such as {{steps.download.file}}.";
    }
  }
  for (const expr of expressions) {
    const error = validatePath(expr.path, kind, scope);
    if (error) return error;
  }
  return null;
}

function validatePath(path: PathSegment[], kind: FieldKind, scope: MappingScope): string | null {
  const shown = `{{${formatPath(path)}}}`;
  const [root, name, part] = path;
  if (root === "vars") {
    if (typeof name !== "string" || path.length !== 2) return `${shown}: name one variable after vars., as in {{vars.baseUrl}}.`;
    if (scope.variables && !scope.variables.has(name)) return `${shown}: the team has no variable named “${name}” (add it on the Variables page).`;
    if (kind === "file") return `${shown} is not a file: a file field takes a binary step result such as {{steps.download.file}}.`;
    return null;
  }
  if (scope.standalone && !(root === "input" && scope.standaloneInput)) {
    return root === "input"
      ? `${shown}: a request sent by itself has no input (only an MCP tool call gives a saved request its input); use the team's variables, as in {{vars.baseUrl}}.`
      : `${shown}: a request outside a flow can only use the team's variables, as in {{vars.baseUrl}}.`;
  }
  if (root === "input") {
    if (kind === "file") return `${shown} is not a file: a file field takes a binary step result such as {{steps.download.file}}.`;
    return null;
  }
  if (root !== "steps") return `${shown}: expressions start with input., steps. or vars.`;
  if (typeof name !== "string") return `${shown}: name a step after steps., as in {{steps.getUser.body}}.`;
  const step = scope.earlierSteps.get(name);
  if (!step) {
    return scope.allSteps.has(name)
      ? `${shown}: step “${name}” has not run yet at this point; only earlier steps can be used.`
      : `${shown}: there is no step named “${name}”.`;
  }
  if (part !== undefined && !STEP_PARTS.includes(part as (typeof STEP_PARTS)[number])) {
    return `${shown}: after steps.${name} use .body, .status, .headers or .file.`;
  }
  if (part === "file") {
    if (path.length > 3) return `${shown}: .file is the whole binary body; nothing can follow it.`;
    if (step.responseType !== "binary")
      return `${shown}: step “${name}” reads its response as ${step.responseType}; set its response type to Binary to pass the body as a file.`;
    if (kind !== "file") return `${shown} is binary: use it as the content of a multipart file field.`;
    return null;
  }
  if (kind === "file") return `${shown} is not a file: use {{steps.${name}.file}} with a step whose response type is Binary.`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation (runner).

export interface StepResultScope {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
  file?: { bytes: Uint8Array; contentType: string };
}

export interface EvaluationScope {
  input: Record<string, unknown>;
  steps: Record<string, StepResultScope>;
  /** The team's variables by name (secret ones decrypted: whoever fills them masks them too). */
  vars?: Record<string, string>;
}

/** The value at a path, or a MappingError saying which part is missing. */
export function evaluatePath(path: PathSegment[], scope: EvaluationScope): unknown {
  let value: unknown = scope;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const container = value;
    if (container === null || container === undefined || typeof container !== "object") {
      throw new MappingError(`{{${formatPath(path)}}}: ${formatPath(path.slice(0, i))} has no “${segment}” (it is ${describe(container)}).`);
    }
    if (i === 2 && path[0] === "steps" && segment === "headers") {
      value = readOwnProperty(container, "headers").found ? (container as StepResultScope).headers : {};
      continue;
    }
    // Header names are case-insensitive; the executor stores them lower-cased.
    const key = i === 3 && path[0] === "steps" && path[2] === "headers" && typeof segment === "string" ? segment.toLowerCase() : segment;
    // Own properties only: {{input.constructor}} must not reach Object.prototype.
    const found = readOwnProperty(container, key);
    value = found.found ? found.value : undefined;
    if (value === undefined) {
      if (i === 1 && path[0] === "vars") throw new MappingError(`{{${formatPath(path)}}}: the team has no variable named “${segment}”.`);
      const what = i === 0 ? "" : ` in ${formatPath(path.slice(0, i))}`;
      throw new MappingError(`{{${formatPath(path)}}}: there is no “${segment}”${what}.`);
    }
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  return typeof value === "string" ? "text" : typeof value;
}

function asText(value: unknown, shown: string): string {
  if (value instanceof Uint8Array || isFile(value)) throw new MappingError(`${shown} is binary and cannot be put into text.`);
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function isFile(value: unknown): value is { bytes: Uint8Array } {
  return typeof value === "object" && value !== null && (value as { bytes?: unknown }).bytes instanceof Uint8Array;
}

/**
 * Fills a text field. In JSON mode an expression inside a string literal is escaped for that string, and
 * one outside a string becomes a JSON value, so `{"id": {{steps.a.body.id}}, "name": "{{input.name}}"}`
 * stays valid JSON whatever the values are.
 */
export function renderTemplate(template: string, scope: EvaluationScope, mode: "text" | "json" = "text"): string {
  const expressions = findExpressions(template);
  if (!expressions.length) return template;
  const inString = mode === "json" ? stringPositions(template) : null;
  let out = "";
  let last = 0;
  for (const expr of expressions) {
    out += template.slice(last, expr.start);
    const value = evaluatePath(expr.path, scope);
    const shown = `{{${formatPath(expr.path)}}}`;
    if (inString && !inString(expr.start)) {
      if (value instanceof Uint8Array || isFile(value)) throw new MappingError(`${shown} is binary and cannot be put into JSON.`);
      out += JSON.stringify(value);
    } else if (inString) {
      out += JSON.stringify(asText(value, shown)).slice(1, -1);
    } else {
      out += asText(value, shown);
    }
    last = expr.end;
  }
  return out + template.slice(last);
}

/** The file an expression such as {{steps.download.file}} names. */
export function resolveFile(template: string, scope: EvaluationScope): { bytes: Uint8Array; contentType: string } {
  const [expr] = findExpressions(template);
  if (!expr) throw new MappingError("A file field needs an expression such as {{steps.download.file}}.");
  const value = evaluatePath(expr.path, scope);
  if (!isFile(value)) throw new MappingError(`{{${formatPath(expr.path)}}} is not a binary body.`);
  return value as { bytes: Uint8Array; contentType: string };
}

/** For JSON templates: whether an offset lies inside a string literal (expressions are not strings). */
function stringPositions(template: string): (offset: number) => boolean {
  // Count unescaped quotes before the offset, skipping other expressions: odd means inside a string.
  return (offset) => {
    let quotes = 0;
    for (let i = 0; i < offset; i++) {
      if (template[i] === "\\") {
        i++;
        continue;
      }
      if (template[i] === "{" && template[i + 1] === "{") {
        const close = template.indexOf("}}", i + 2);
        if (close >= 0 && close < offset) {
          i = close + 1;
          continue;
        }
      }
      if (template[i] === '"') quotes++;
    }
    return quotes % 2 === 1;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Suggestions (editor): the paths a previous run's data offers.

/** Paths into a value, objects before their children, arrays by their first item; capped. */
export function collectPaths(value: unknown, prefix: PathSegment[], limit = 200, depth = 6): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: PathSegment[], d: number) => {
    if (out.length >= limit) return;
    out.push(`{{${formatPath(path)}}}`);
    if (d === 0 || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) {
      if (v.length) walk(v[0], [...path, 0], d - 1);
      return;
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) walk(child, [...path, k], d - 1);
  };
  walk(value, prefix, depth);
  return out;
}
