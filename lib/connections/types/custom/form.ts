import { z } from "zod";
import { HTTP_METHODS } from "@/lib/http/spec";
import { LIMITS, line, text } from "@/lib/validation/fields";
import { COMMON_DEFAULTS, commonFields, keyValueRows, MAX_ROWS, optionalHttpUrl } from "../common";
import { defineConnectionForm, type KeyValueRow } from "../descriptor";
import { checkLogin, checkTemplate } from "./checks";
import { LOGIN_BODY_TYPES } from "./login";
import { SECRET_NAME, type PlaceholderScope } from "./template";

/**
 * Custom auth: named secrets placed into headers, query parameters or body fields by a JSON template, with
 * an optional login step whose answer yields a session token ({{token}}).
 *
 * The secrets are one row editor (name, value). The parsed input splits it: the names stay in the config as
 * rows with empty values (so edit shows each secret's name and asks for its value again), and the values go
 * into the one secret field `secretValues`, a JSON object {name: value} encrypted like every secret field.
 */

const secretRows = z
  .array(z.object({ name: line(LIMITS.short).trim(), value: line(LIMITS.secret) }))
  .max(MAX_ROWS, `Use at most ${MAX_ROWS} secrets.`)
  .default([])
  .transform((rows) => rows.filter((r) => r.name !== "" || r.value !== ""));

const schema = z
  .object({
    type: z.literal("custom"),
    ...commonFields,
    secrets: secretRows,
    // Computed from `secrets` below; a form or API call never sends it (empty is what an edit form holds).
    secretValues: z.literal("", "Give the secrets as rows in secrets.").optional(),
    template: text(LIMITS.json).trim().min(1, "Enter the template."),
    login: z.boolean().default(false),
    loginMethod: z.enum(HTTP_METHODS, "Choose GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS").default("POST"),
    loginUrl: optionalHttpUrl,
    loginHeaders: keyValueRows("header"),
    loginBodyType: z.enum(LOGIN_BODY_TYPES, "Choose none, json or urlencoded").default("json"),
    loginBody: text(LIMITS.json).default(""),
    loginFields: keyValueRows("field"),
    tokenPath: line(LIMITS.short).trim().default("$.token"),
    lifetime: z.enum(["fixed", "path"], "Choose fixed or path").default("fixed"),
    lifetimeSeconds: line(LIMITS.short).trim().default("3600"),
    lifetimePath: line(LIMITS.short).trim().default("$.expires_in"),
  })
  .superRefine((v, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const names = new Set<string>();
    for (const [i, r] of v.secrets.entries()) {
      // __proto__ would not survive as a plain object's key.
      if (!SECRET_NAME.test(r.name) || r.name === "__proto__")
        issue(["secrets", i, "name"], "Name the secret with letters, digits, _ or - (starting with a letter), such as key.");
      else if (names.has(r.name)) issue(["secrets", i, "name"], `There is already a secret named ${r.name}.`);
      names.add(r.name);
      if (!r.value) issue(["secrets", i, "value"], `Enter the value of ${r.name || "this secret"} (stored values are typed again on edit).`);
    }
    const scope: PlaceholderScope = { secretNames: [...names], token: v.login };
    checkTemplate(v.template, scope, (m) => issue(["template"], m));
    if (v.login) checkLogin(v, { ...scope, token: false }, issue);
  })
  .transform(({ secrets, secretValues: _computed, ...v }) => ({
    ...v,
    secrets: secrets.map((r): KeyValueRow => ({ name: r.name, value: "" })),
    secretValues: JSON.stringify(Object.fromEntries(secrets.map((r) => [r.name, r.value]))),
  }));

const DEFAULT_TEMPLATE = `{
  "headers": { "X-Api-Key": "{{secret.key}}" }
}`;

const DEFAULT_LOGIN_BODY = `{ "username": "{{secret.username}}", "password": "{{secret.password}}" }`;

export const customForm = defineConnectionForm({
  type: "custom",
  label: "Custom auth",
  description: "Named secrets placed into headers, query parameters or body fields by a template, with an optional login step for a session token.",
  schema,
  defaults: {
    type: "custom",
    ...COMMON_DEFAULTS,
    secrets: [{ name: "key", value: "" }],
    secretValues: "",
    template: DEFAULT_TEMPLATE,
    login: false,
    loginMethod: "POST",
    loginUrl: "",
    loginHeaders: [],
    loginBodyType: "json",
    loginBody: DEFAULT_LOGIN_BODY,
    loginFields: [],
    tokenPath: "$.token",
    lifetime: "fixed",
    lifetimeSeconds: "3600",
    lifetimePath: "$.expires_in",
  },
  secretFields: ["secretValues"],
  holdsToken: (v) => v.login === true,
  fields: [
    {
      kind: "rows",
      name: "secrets",
      label: "Secrets",
      hint: "Each value is encrypted and never shown again; on edit, type the values again. Use them as {{secret.<name>}}.",
      nameLabel: "Name",
      valueLabel: "Value",
      secret: true,
    },
    {
      kind: "textarea",
      name: "template",
      label: "Template",
      hint: 'JSON: {"headers": {…}, "query": {…}, "body": {…}}, stored in the clear: reference the secrets, never type them here. Body fields are merged into JSON bodies and added to form-encoded ones. Placeholders: {{secret.<name>}}, {{base64 secret.user \':\' secret.pass}}, and {{token}} with the login step.',
      placeholder: DEFAULT_TEMPLATE,
    },
    { kind: "checkbox", name: "login", label: "Log in first (session token)" },
    {
      kind: "row",
      fields: [
        {
          kind: "select",
          name: "loginMethod",
          label: "Login method",
          options: HTTP_METHODS.map((m) => [m, m] as const),
          when: (v) => v.login === true,
        },
        { kind: "text", name: "loginUrl", label: "Login URL", placeholder: "https://api.example.com/login", when: (v) => v.login === true },
      ],
    },
    {
      kind: "rows",
      name: "loginHeaders",
      label: "Login headers",
      nameLabel: "Header",
      valueLabel: "Value",
      when: (v) => v.login === true,
    },
    {
      kind: "select",
      name: "loginBodyType",
      label: "Login body",
      options: [
        ["none", "None"],
        ["json", "JSON"],
        ["urlencoded", "Form (urlencoded)"],
      ],
      when: (v) => v.login === true,
    },
    {
      kind: "textarea",
      name: "loginBody",
      label: "Login JSON body",
      placeholder: DEFAULT_LOGIN_BODY,
      when: (v) => v.login === true && v.loginBodyType === "json",
    },
    {
      kind: "rows",
      name: "loginFields",
      label: "Login form fields",
      nameLabel: "Field",
      valueLabel: "Value",
      when: (v) => v.login === true && v.loginBodyType === "urlencoded",
    },
    {
      kind: "text",
      name: "tokenPath",
      label: "Token path",
      hint: "Where the token is in the login answer's JSON, such as $.token or data.session.id.",
      when: (v) => v.login === true,
    },
    {
      kind: "select",
      name: "lifetime",
      label: "Token lifetime",
      options: [
        ["fixed", "Fixed number of seconds"],
        ["path", "From the login answer"],
      ],
      when: (v) => v.login === true,
    },
    { kind: "text", name: "lifetimeSeconds", label: "Lifetime (seconds)", when: (v) => v.login === true && v.lifetime === "fixed" },
    {
      kind: "text",
      name: "lifetimePath",
      label: "Lifetime path",
      hint: "Seconds, such as $.expires_in.",
      when: (v) => v.login === true && v.lifetime === "path",
    },
  ],
});
