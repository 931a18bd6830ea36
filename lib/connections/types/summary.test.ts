import { describe, expect, it } from "vitest";
import { COMMON_SECRET_FIELDS, type FormField } from "./descriptor";
import { CONNECTION_TYPE_FORMS, CONNECTION_TYPES, type StoredConfig } from "./forms";
import { connectionType } from "./registry";

/**
 * A type's summary() is shown in the connections list and on the detail page (ConnectionSummary.details, in the
 * RSC payload and the REST API). It reads the stored config, which holds no secret; this checks that it would
 * not show one even if the config held every secret field, for every value of the type's choices.
 */

type AnyField = FormField<Record<string, unknown>>;

function flatten(fields: ReadonlyArray<AnyField>): AnyField[] {
  return fields.flatMap((f) => (f.kind === "row" ? flatten(f.fields) : [f]));
}

/** The defaults, then each choice (select option, checkbox) changed one at a time. */
function variants(defaults: Record<string, unknown>, fields: AnyField[]): Array<Record<string, unknown>> {
  const out = [defaults];
  for (const f of fields) {
    if (f.kind === "select") for (const [value] of f.options) out.push({ ...defaults, [f.name]: value });
    if (f.kind === "checkbox") out.push({ ...defaults, [f.name]: !defaults[f.name] });
  }
  return out;
}

describe("connection summaries", () => {
  it.each(CONNECTION_TYPES)("%s: shows no secret, whatever the config holds", (type) => {
    const form = CONNECTION_TYPE_FORMS[type];
    const fields = flatten(form.fields as ReadonlyArray<AnyField>);
    const marker = (name: string) => `secret-of-${name}-5e1f`;
    const secretFields: string[] = [...form.secretFields, ...COMMON_SECRET_FIELDS];
    const secrets: Record<string, unknown> = Object.fromEntries(secretFields.map((f) => [f, marker(f)]));
    // Secret row editors (custom auth's named secrets): their values are secrets, their names are not.
    for (const f of fields) if (f.kind === "rows" && f.secret) secrets[f.name] = [{ name: "key", value: marker(f.name) }];
    const markers = secretFields.map(marker);
    for (const f of fields) if (f.kind === "rows" && f.secret) markers.push(marker(f.name));
    // A stored config's URLs are valid (the schema checked them); the defaults' are empty.
    const defaults = { ...(form.defaults as Record<string, unknown>) };
    for (const [name, value] of Object.entries(defaults)) if (/Url$/.test(name) && value === "") defaults[name] = `https://api.example.test/${name}`;

    const shown = variants(defaults, fields).map((values) => {
      const config = { ...values, ...secrets, allowedHosts: ["api.example.test"] } as StoredConfig;
      return JSON.stringify(connectionType(type).server.summary(config));
    });

    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) for (const m of markers) expect(text).not.toContain(m);
  });
});
