import "server-only";
import { z } from "zod";
import { createMasker } from "@/lib/http/mask";
import type { OutgoingRequest } from "@/lib/http/types";
import { ConnectionTokenError } from "../../errors";
import type { ConfigOf, ConnectionTypeServer, StoredSecrets } from "../descriptor";
import { placeBodyFields } from "./body-fields";
import type { customForm } from "./form";
import { obtainSessionToken } from "./session-login";
import { jsonStrings } from "./login";
import { encodedValues, fillPlaceholders, parseTemplate, TemplateError, type PlaceholderValues } from "./template";

export type CustomConfig = ConfigOf<typeof customForm>;

const storedValues = z.record(z.string(), z.string());

/** The named secrets, from the one encrypted field that holds them as a JSON object. */
export function secretValuesOf(secrets: StoredSecrets): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secrets.secretValues ?? "{}");
  } catch {
    parsed = undefined;
  }
  const values = storedValues.safeParse(parsed);
  if (!values.success) throw new ConnectionTokenError("the stored secrets cannot be read: edit the connection and type them again", "config");
  return values.data;
}

export const customServer: ConnectionTypeServer<CustomConfig> = {
  urls: (c) => (c.login && c.loginUrl ? [c.loginUrl] : []),
  async apply(req, ctx) {
    const { config } = ctx;
    const values: PlaceholderValues = { secrets: secretValuesOf(ctx.secrets) };
    // A refused session token (an expired status) is replaced by a new login before the resend.
    if (config.login) values.token = (await ctx.accessToken(ctx.forceRefresh)).accessToken;
    placeTemplate(req, parseTemplate(config.template), values);
  },
  credentialQueryParams: (c) => Object.keys(templateOf(c)?.query ?? {}),
  derivedSecrets: secretForms,
  tokens: {
    renewal: "grant",
    issuedMessage: "Session token obtained (login)",
    obtain: (ctx) =>
      obtainSessionToken(
        ctx.config,
        secretValuesOf(ctx.secrets),
        ctx.send,
        createMasker(() => [...secretForms(ctx.config, ctx.secrets), ...(ctx.oauth.masker?.secrets() ?? [])]),
      ),
    endpoints: (c) => (c.login && c.loginUrl ? [c.loginUrl] : []),
    applies: (c) => c.login === true,
  },
  curl: () => ({ kind: "applied" }),
  summary: (c) => {
    const t = templateOf(c);
    const facts = [{ label: "Secrets", value: c.secrets.map((s) => s.name).join(", ") || "none" }];
    if (t?.headers) facts.push({ label: "Headers", value: Object.keys(t.headers).join(", ") });
    if (t?.query) facts.push({ label: "Query parameters", value: Object.keys(t.query).join(", ") });
    if (t?.body) facts.push({ label: "Body fields", value: Object.keys(t.body).join(", ") });
    if (c.login) {
      const lifetime = c.lifetime === "fixed" ? `${c.lifetimeSeconds} s` : `from ${c.lifetimePath}`;
      facts.push({ label: "Login", value: `${c.loginMethod} ${c.loginUrl} (token at ${c.tokenPath}, lifetime ${lifetime})` });
    }
    return facts;
  },
};

/** Each named value is its own secret (the stored field is only their JSON text), and so is each {{base64 …}} of them. */
function secretForms(c: CustomConfig, secrets: StoredSecrets): string[] {
  const values = { secrets: secretValuesOf(secrets) };
  return [...Object.values(values.secrets), ...templatedTexts(c).flatMap((text) => encodedValues(text, values))];
}

/** Every text of the config that placeholders may fill: the template's values and the login request's. */
function templatedTexts(c: CustomConfig): string[] {
  const texts = Object.values(templateOf(c) ?? {}).flatMap((entries) => Object.values(entries ?? {}));
  if (!c.login) return texts;
  texts.push(c.loginUrl, ...c.loginHeaders.map((h) => h.value));
  if (c.loginBodyType === "urlencoded") texts.push(...c.loginFields.map((f) => f.value));
  if (c.loginBodyType === "json") {
    try {
      texts.push(...jsonStrings(JSON.parse(c.loginBody)).map((s) => s.text));
    } catch {
      // Checked when saved; an unreadable body sends no login either.
    }
  }
  return texts;
}

function templateOf(c: CustomConfig) {
  try {
    return parseTemplate(c.template);
  } catch {
    return undefined;
  }
}

function placeTemplate(req: OutgoingRequest, template: ReturnType<typeof parseTemplate>, values: PlaceholderValues) {
  for (const [name, value] of Object.entries(template.headers ?? {})) {
    try {
      req.headers.set(name, fillPlaceholders(value, values));
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      // Headers refuse line breaks and control characters; the value itself is never repeated.
      throw new TemplateError(`the header ${name} cannot carry its value (a secret or the token holds a line break or control character)`);
    }
  }
  for (const [name, value] of Object.entries(template.query ?? {})) req.url.searchParams.set(name, fillPlaceholders(value, values));
  const fields = Object.entries(template.body ?? {}).map(([name, value]) => [name, fillPlaceholders(value, values)] as const);
  if (fields.length) placeBodyFields(req, fields);
}
