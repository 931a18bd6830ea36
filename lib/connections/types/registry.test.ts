import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONNECTION_TYPE_FORMS, CONNECTION_TYPES } from "./forms";
import { CONNECTION_TYPE_SERVERS } from "./registry";

describe("the connection type registry", () => {
  it.each(CONNECTION_TYPES)("%s: its two halves agree", (type) => {
    const form = CONNECTION_TYPE_FORMS[type];
    const server = CONNECTION_TYPE_SERVERS[type];
    expect(form.type).toBe(type);
    expect(form.defaults.type).toBe(type);
    // The form says "token" exactly when the server half obtains one.
    expect(form.holdsToken !== undefined).toBe(server.tokens !== undefined);
    // A consent type creates through the browser: it must have tokens to refresh.
    if (server.consent) expect(server.tokens?.renewal).toBe("refresh");
    // Every secret field is a field of the schema's input (a typo would store it in the clear).
    for (const field of form.secretFields) expect(Object.keys(form.defaults)).toContain(field);
  });

  it("no code outside lib/connections/types/ names a connection type (every type-specific piece is a registry lookup)", () => {
    const roots = ["app", "components", "lib", "scripts"];
    // A type name compared with a `.type`, given as `type:`, or a `case` label (other uses of words such as "custom" are fine).
    const names = `["'\`](${CONNECTION_TYPES.join("|")})["'\`]`;
    const literal = new RegExp(`\\.type\\s*[!=]==?\\s*${names}|\\btype:\\s*${names}|\\bcase\\s+${names}`);
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) {
          if (file !== path.join("lib", "connections", "types") && name !== "node_modules") visit(file);
          continue;
        }
        // Tests and fixtures create connections of given types; they are data, not switches.
        if (!/\.(ts|tsx)$/.test(name) || /\.test\.tsx?$|\/testing\/|fixtures/.test(file)) continue;
        const lines = readFileSync(file, "utf8").split("\n");
        lines.forEach((line, i) => {
          if (literal.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
      }
    };
    for (const root of roots) visit(root);
    expect(offenders).toEqual([]);
  });
});
