import { parseJsonPath, readJsonPath, type JsonPath } from "./json-path";

/**
 * A pagination stop condition: `<operand> [<op> <operand>]` or `!<operand>`, where an operand is a body
 * path ($.meta.has_more, $.items.length), `status`, or a JSON literal (3, "done", true, null); ops are
 * == != < <= > >=. Without an op the condition holds when the operand is truthy. Parsed once, so a typo
 * fails before the first page is fetched.
 */
export class StopExpressionError extends Error {}

type Operand = { path: JsonPath } | { status: true } | { literal: unknown };
export type StopExpression = { left: Operand; op?: "==" | "!=" | "<" | "<=" | ">" | ">="; right?: Operand; negate: boolean };

export function parseStopExpression(text: string): StopExpression {
  const source = text.trim();
  if (!source) throw new StopExpressionError("the stop condition is empty");
  const negate = /^!(?!=)/.test(source);
  const body = negate ? source.slice(1).trim() : source;
  const m = /^(.+?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/s.exec(body);
  if (!m) return { left: operand(body, text), negate };
  if (negate) throw new StopExpressionError(`"${text}": use != instead of ! with a comparison`);
  return { left: operand(m[1], text), op: m[2] as StopExpression["op"], right: operand(m[3], text), negate };
}

export function evaluateStopExpression(expr: StopExpression, page: { status: number; body: unknown }): boolean {
  const value = (o: Operand) => ("path" in o ? readJsonPath(page.body, o.path) : "status" in o ? page.status : o.literal);
  const left = value(expr.left);
  if (!expr.op || !expr.right) return expr.negate ? !left : !!left;
  const right = value(expr.right);
  switch (expr.op) {
    case "==":
      return same(left, right);
    case "!=":
      return !same(left, right);
    default:
      if (!(typeof left === typeof right && (typeof left === "number" || typeof left === "string"))) return false;
      return compare(left as number | string, right as number | string, expr.op);
  }
}

function operand(raw: string, whole: string): Operand {
  const text = raw.trim();
  if (text.startsWith("$")) {
    try {
      return { path: parseJsonPath(text) };
    } catch (err) {
      throw new StopExpressionError(`"${whole}": ${(err as Error).message}`);
    }
  }
  if (text === "status") return { status: true };
  const json = text.startsWith("'") && text.endsWith("'") && text.length > 1 ? JSON.stringify(text.slice(1, -1)) : text;
  try {
    return { literal: JSON.parse(json) };
  } catch {
    throw new StopExpressionError(`"${whole}": "${text}" is not $.path, status, a number, "text", true, false or null`);
  }
}

function same(a: unknown, b: unknown): boolean {
  // JSON has no undefined: a missing value equals null.
  if (a == null && b == null) return true;
  return a === b || (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b));
}

function compare(a: number | string, b: number | string, op: string): boolean {
  if (op === "<") return a < b;
  if (op === "<=") return a <= b;
  if (op === ">") return a > b;
  return a >= b;
}
