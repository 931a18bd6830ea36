import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every export of a "use server" file is a public endpoint; it must be built by one of the wrappers of
// lib/auth/action.ts, which check the caller before anything else runs. A static check of the sources.

const WRAPPERS = new Set(["teamAction", "userAction", "publicAction"]);
const ACTION_MODULE = "@/lib/auth/action";

function hasUseServerDirective(statements: ts.NodeArray<ts.Statement>): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === "use server") return true;
  }
  return false;
}

/** What is wrong with a file's server actions, one line per problem. */
function serverActionProblems(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const problems: string[] = [];
  const fileLevel = hasUseServerDirective(file.statements);

  // Inline "use server" in a function body makes that function an endpoint without any wrapper.
  const visit = (node: ts.Node) => {
    if (ts.isBlock(node) && hasUseServerDirective(node.statements))
      problems.push(`${fileName}: an inline "use server" function; put it in an actions file built on a wrapper`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!fileLevel) return problems;

  const wrappersImported = new Set<string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || (statement.moduleSpecifier as ts.StringLiteral).text !== ACTION_MODULE) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements)
        if (WRAPPERS.has((el.propertyName ?? el.name).text) && el.name.text === (el.propertyName ?? el.name).text) wrappersImported.add(el.name.text);
    }
  }

  for (const statement of file.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) continue;
    if (ts.isExportDeclaration(statement)) {
      if (!statement.isTypeOnly) problems.push(`${fileName}: re-exports are not allowed in a "use server" file`);
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      problems.push(`${fileName}: a default export is not built by a wrapper`);
      continue;
    }
    if (!exported) continue;
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) {
      const name = (statement as ts.FunctionDeclaration).name?.text ?? "an export";
      problems.push(`${fileName}: ${name} is not built by teamAction, userAction or publicAction`);
      continue;
    }
    for (const declaration of statement.declarationList.declarations) {
      const name = declaration.name.getText(file);
      const init = declaration.initializer;
      const callee = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) ? init.expression.text : null;
      if (!callee || !wrappersImported.has(callee)) problems.push(`${fileName}: ${name} is not built by teamAction, userAction or publicAction`);
    }
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("server actions", () => {
  const files = ["app", "components", "lib"]
    .flatMap((dir) => sourceFiles(path.resolve(dir)))
    .filter((file) => readFileSync(file, "utf8").includes("use server"));

  it("finds the actions files", () => {
    expect(files.filter((f) => f.includes(`${path.sep}app${path.sep}`)).length).toBeGreaterThanOrEqual(7);
  });

  it("are all built on a wrapper that checks the caller", () => {
    const problems = files.flatMap((file) => serverActionProblems(path.relative(process.cwd(), file), readFileSync(file, "utf8")));
    expect(problems).toEqual([]);
  });

  it("the check refuses a raw export, a wrapper from elsewhere and an inline action", () => {
    const header = `"use server";\nimport { teamAction } from "@/lib/auth/action";\nimport { userAction } from "./mine";\n`;
    expect(serverActionProblems("a.ts", `${header}export const ok = teamAction({ schema, role: "member" }, async () => null);`)).toEqual([]);
    expect(serverActionProblems("a.ts", `${header}export async function raw() { return 1; }`)).toEqual([
      "a.ts: raw is not built by teamAction, userAction or publicAction",
    ]);
    expect(serverActionProblems("a.ts", `${header}export const raw = async () => 1;`)).toHaveLength(1);
    expect(serverActionProblems("a.ts", `${header}export const fake = userAction({ schema }, async () => null);`)).toHaveLength(1);
    expect(serverActionProblems("a.ts", `${header}const x = teamAction({ schema, role: "member" }, async () => null);\nexport { x };`)).toHaveLength(
      1,
    );
    expect(serverActionProblems("a.ts", `${header}export default async function a() {}`)).toHaveLength(1);
    expect(serverActionProblems("b.tsx", `export function Page() { async function act() { "use server"; } return null; }`)).toHaveLength(1);
  });
});
