import { describe, expect, it } from "vitest";
import {
  collectPaths,
  evaluatePath,
  findExpressions,
  MappingError,
  parsePath,
  renderTemplate,
  standaloneScope,
  validateTemplate,
  type EvaluationScope,
  type MappingScope,
} from "./mapping";

const scope: EvaluationScope = {
  input: { customerId: 42, name: 'Ann "Q" Lee', tags: ["a", "b"], nothing: null },
  steps: {
    getUser: {
      status: 200,
      headers: { "content-type": "application/json", "x-id": "7" },
      body: { id: "u-1", profile: { "display name": "Ann" }, items: [{ sku: "A1" }] },
    },
    download: { status: 200, headers: {}, file: { bytes: new Uint8Array([1, 2, 3]), contentType: "image/png" } },
  },
};

const validation: MappingScope = {
  earlierSteps: new Map([
    ["getUser", { responseType: "json" }],
    ["download", { responseType: "binary" }],
  ]),
  allSteps: new Set(["getUser", "download", "later"]),
};

describe("parsePath", () => {
  it("reads dots, indexes and quoted keys", () => {
    expect(parsePath("steps.getUser.body.items[0].sku")).toEqual(["steps", "getUser", "body", "items", 0, "sku"]);
    expect(parsePath(' steps.getUser.body.profile["display name"] ')).toEqual(["steps", "getUser", "body", "profile", "display name"]);
    expect(parsePath("input.list.2")).toEqual(["input", "list", 2]);
  });

  it("rejects what is not a path", () => {
    expect(() => parsePath("")).toThrow(MappingError);
    expect(() => parsePath("input.")).toThrow("a name must follow each dot");
    expect(() => parsePath("input.a + 1")).toThrow("is not a path");
    expect(() => parsePath("1abc")).toThrow("start with input., steps. or vars.");
  });
});

describe("findExpressions", () => {
  it("finds every expression with its offsets", () => {
    const found = findExpressions("/users/{{input.customerId}}?q={{ steps.getUser.body.id }}");
    expect(found.map((e) => e.source)).toEqual(["input.customerId", "steps.getUser.body.id"]);
    expect(found[0].start).toBe(7);
  });

  it("reports an unclosed expression", () => {
    expect(() => findExpressions("/users/{{input.id")).toThrow("not closed");
    expect(() => findExpressions("{{input.a {{input.b}}")).toThrow("not closed");
  });
});

describe("validateTemplate", () => {
  it("accepts input and earlier steps", () => {
    expect(validateTemplate("{{input.anything.deep}}", "text", validation)).toBeNull();
    expect(validateTemplate("{{steps.getUser.body.id}} {{steps.getUser.status}}", "text", validation)).toBeNull();
    expect(validateTemplate("{{steps.download.file}}", "file", validation)).toBeNull();
  });

  it("names the problem", () => {
    expect(validateTemplate("{{user.id}}", "text", validation)).toContain("expressions start with input., steps. or vars.");
    expect(validateTemplate("{{steps.nope.body}}", "text", validation)).toContain("there is no step named “nope”");
    expect(validateTemplate("{{steps.later.body}}", "text", validation)).toContain("has not run yet");
    expect(validateTemplate("{{steps.getUser.bdy.id}}", "text", validation)).toContain("use .body, .status, .headers or .file");
    expect(validateTemplate("{{steps.download.file}}", "text", validation)).toContain("is binary");
    expect(validateTemplate("{{steps.getUser.file}}", "file", validation)).toContain("set its response type to Binary");
    expect(validateTemplate("x{{steps.download.file}}", "file", validation)).toContain("one expression");
    expect(validateTemplate("{{input.file}}", "file", validation)).toContain("is not a file");
    expect(validateTemplate("{{input.a", "text", validation)).toContain("not closed");
  });

  it("checks {{vars.NAME}} against the team's names when they are known, and its form always", () => {
    const known = { ...validation, variables: new Set(["baseUrl"]) };
    expect(validateTemplate("{{vars.baseUrl}}/users", "text", known)).toBeNull();
    expect(validateTemplate("{{vars.other}}", "text", known)).toContain("no variable named “other”");
    // In the browser the names are not known: only the form is checked (the server checks names at save).
    expect(validateTemplate("{{vars.other}}", "text", validation)).toBeNull();
    expect(validateTemplate("{{vars.baseUrl.host}}", "text", validation)).toContain("name one variable");
    expect(validateTemplate("{{vars}}", "text", validation)).toContain("name one variable");
    expect(validateTemplate("{{vars.baseUrl}}", "file", known)).toContain("is not a file");
  });

  it("allows only {{vars.NAME}} in a request outside a flow", () => {
    const lone = standaloneScope(new Set(["token"]));
    expect(validateTemplate("Bearer {{vars.token}}", "text", lone)).toBeNull();
    expect(validateTemplate("{{input.id}}", "text", lone)).toContain("has no input");
    expect(validateTemplate("{{steps.a.body}}", "text", lone)).toContain("only use the team's variables");
  });

  it("allows {{input.NAME}} too in a saved request, which an MCP tool call runs with its arguments", () => {
    const saved = standaloneScope(new Set(["token"]), { input: true });
    expect(validateTemplate("/customers/{{input.id}}?t={{vars.token}}", "text", saved)).toBeNull();
    expect(validateTemplate("{{steps.a.body}}", "text", saved)).toContain("only use the team's variables");
    expect(validateTemplate("{{vars.other}}", "text", saved)).toContain("no variable named");
  });
});

describe("variables at run time", () => {
  it("fills {{vars.NAME}} as text or JSON and names a missing one", () => {
    const withVars: EvaluationScope = { ...scope, vars: { token: 'a"b', n: "7" } };
    expect(renderTemplate("t={{vars.token}}", withVars)).toBe('t=a"b');
    expect(renderTemplate('{"t": "{{vars.token}}", "n": {{vars.n}}}', withVars, "json")).toBe('{"t": "a\\"b", "n": "7"}');
    expect(() => renderTemplate("{{vars.nope}}", withVars)).toThrow("the team has no variable named “nope”");
  });
});

describe("evaluation", () => {
  it("reads values and header names case-insensitively", () => {
    expect(evaluatePath(["steps", "getUser", "body", "items", 0, "sku"], scope)).toBe("A1");
    expect(evaluatePath(["steps", "getUser", "headers", "X-Id"], scope)).toBe("7");
  });

  it("says which part is missing", () => {
    expect(() => evaluatePath(["steps", "getUser", "body", "email"], scope)).toThrow("there is no “email” in steps.getUser.body");
    expect(() => evaluatePath(["input", "customerId", "x"], scope)).toThrow("input.customerId has no “x” (it is number)");
    expect(() => evaluatePath(["steps", "missing", "body"], scope)).toThrow("there is no “missing” in steps");
  });

  it("reads own properties only, never what objects inherit", () => {
    expect(() => renderTemplate("{{input.constructor}}", scope)).toThrow("there is no “constructor” in input");
    expect(() => evaluatePath(["input", "__proto__"], scope)).toThrow("there is no “__proto__” in input");
    expect(() => evaluatePath(["input", "tags", "map"], scope)).toThrow("there is no “map” in input.tags");
    expect(() => evaluatePath(["steps", "toString"], scope)).toThrow("there is no “toString” in steps");
    expect(() => evaluatePath(["steps", "getUser", "body", "hasOwnProperty"], scope)).toThrow("there is no “hasOwnProperty”");
    expect(() => evaluatePath(["steps", "getUser", "headers", "constructor"], scope)).toThrow("there is no “constructor”");
    const own = { ...scope, input: JSON.parse('{"constructor": "own value"}') as Record<string, unknown> };
    expect(renderTemplate("{{input.constructor}}", own)).toBe("own value");
  });

  it("renders text", () => {
    expect(renderTemplate("/c/{{input.customerId}}/{{input.tags}}/{{input.nothing}}", scope)).toBe('/c/42/["a","b"]/');
    expect(() => renderTemplate("{{steps.download.file}}", scope)).toThrow("binary");
  });

  it("keeps JSON valid inside and outside string literals", () => {
    const text = renderTemplate(
      '{"id": {{steps.getUser.body.id}}, "who": "Hi {{input.name}}", "tags": {{input.tags}}, "n": {{input.customerId}}}',
      scope,
      "json",
    );
    expect(JSON.parse(text)).toEqual({ id: "u-1", who: 'Hi Ann "Q" Lee', tags: ["a", "b"], n: 42 });
  });
});

describe("collectPaths", () => {
  it("lists paths of a previous result, arrays by their first item", () => {
    const paths = collectPaths(scope.steps.getUser.body, ["steps", "getUser", "body"]);
    expect(paths).toEqual([
      "{{steps.getUser.body}}",
      "{{steps.getUser.body.id}}",
      "{{steps.getUser.body.profile}}",
      '{{steps.getUser.body.profile["display name"]}}',
      "{{steps.getUser.body.items}}",
      "{{steps.getUser.body.items[0]}}",
      "{{steps.getUser.body.items[0].sku}}",
    ]);
  });
});
