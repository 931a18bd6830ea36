import { parseJsonPath } from "@/lib/http/json-path";
import { requestSpecSchema } from "@/lib/http/spec";
import { isHeaderName, isHeaderValue } from "@/lib/validation/fields";
import { jsonStrings, type LoginFields, loginRequestSpec } from "./login";
import { type PlaceholderScope, parseTemplate, placeholderError, TemplateError, templateEntries, usesToken } from "./template";

/** Save-time checks of custom auth's template and login step, each reported on the form field it is about. Client-safe. */

type Issue = (path: (string | number)[], message: string) => void;

export const MAX_LIFETIME_SECONDS = 366 * 24 * 3600;

export function checkTemplate(text: string, scope: PlaceholderScope, report: (message: string) => void) {
  let entries: ReturnType<typeof templateEntries>;
  try {
    entries = templateEntries(parseTemplate(text));
  } catch (e) {
    if (e instanceof TemplateError) return report(e.message);
    throw e;
  }
  if (!entries.length)
    return report('The template places nothing: add headers, query or body, such as {"headers": {"X-Api-Key": "{{secret.key}}"}}.');
  for (const e of entries) {
    const error = e.name.includes("{{")
      ? "names cannot hold placeholders, only values can."
      : e.place === "headers" && !isHeaderName(e.name)
        ? "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~)."
        : e.place === "headers" && !isHeaderValue(e.value)
          ? "header values cannot contain line breaks or control characters."
          : placeholderError(e.value, scope);
    if (error) return report(`${e.place}.${e.name}: ${error}`);
  }
  if (scope.token && !entries.some((e) => usesToken(e.value)))
    report("Place the login step's session token with {{token}}, or turn the login step off.");
}

export interface LoginInput extends LoginFields {
  tokenPath: string;
  lifetime: "fixed" | "path";
  lifetimeSeconds: string;
  lifetimePath: string;
}

/** The login request may use the secrets (never {{token}}, which it produces). */
export function checkLogin(v: LoginInput, scope: PlaceholderScope, issue: Issue) {
  if (!v.loginUrl) issue(["loginUrl"], "Enter the login URL.");
  const texts: Array<{ path: (string | number)[]; text: string; where?: string }> = [
    { path: ["loginUrl"], text: v.loginUrl },
    ...v.loginHeaders.map((h, i) => ({ path: ["loginHeaders", i, "value"], text: h.value })),
  ];
  if (v.loginBodyType === "urlencoded") texts.push(...v.loginFields.map((f, i) => ({ path: ["loginFields", i, "value"], text: f.value })));
  let ok = true;
  if (v.loginBodyType === "json") {
    try {
      const body: unknown = JSON.parse(v.loginBody);
      texts.push(...jsonStrings(body).map((s) => ({ path: ["loginBody"], text: s.text, where: s.path || "the body" })));
    } catch (e) {
      issue(["loginBody"], `The login body is not valid JSON: ${(e as Error).message}.`);
      ok = false;
    }
  }
  const reported = new Set<string>();
  for (const t of texts) {
    const error = placeholderError(t.text, scope);
    if (!error) continue;
    ok = false;
    if (reported.has(t.path.join("."))) continue;
    reported.add(t.path.join("."));
    issue(t.path, t.where ? `${t.where}: ${error}` : error);
  }
  checkPath(v.tokenPath, ["tokenPath"], "Enter where the token is in the login answer, such as $.token.", issue);
  if (v.lifetime === "path")
    checkPath(v.lifetimePath, ["lifetimePath"], "Enter where the lifetime is in the login answer, such as $.expires_in.", issue);
  else if (!/^\d+$/.test(v.lifetimeSeconds) || Number(v.lifetimeSeconds) < 1 || Number(v.lifetimeSeconds) > MAX_LIFETIME_SECONDS)
    issue(["lifetimeSeconds"], `Enter the token's lifetime in whole seconds, between 1 and ${MAX_LIFETIME_SECONDS}.`);
  if (!ok || !v.loginUrl) return;
  // What the request builder itself would refuse once the placeholders are filled in.
  const spec = requestSpecSchema.safeParse(loginRequestSpec(v, (t) => t.replace(/\{\{[\s\S]*?\}\}/g, "x")));
  if (!spec.success) {
    const first = spec.error.issues[0];
    issue([first.path[0] === "url" ? "loginUrl" : first.path[0] === "headers" ? "loginHeaders" : "loginBody"], first.message);
  }
}

function checkPath(path: string, field: string[], missing: string, issue: Issue) {
  if (!path) return issue(field, missing);
  try {
    parseJsonPath(path);
  } catch (e) {
    issue(field, (e as Error).message);
  }
}
