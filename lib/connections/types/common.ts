import { z } from "zod";
import { isHeaderName, isHeaderValue, LIMITS, line, secretText, text } from "@/lib/validation/fields";
import { CLIENT_CERTIFICATE_DEFAULTS, clientCertificateFields } from "./client-certificate-form";
import { CHECK_SCHEDULE_CHOICES, HEALTH_SCHEDULES } from "@/lib/health/schedule";
import type { KeyValueRow } from "./descriptor";
import { standaloneScope, validateTemplate } from "@/lib/flows/mapping";
import { onPremHostIssue } from "./on-prem";
import { PROXY_DEFAULTS, proxyFields } from "./proxy-form";

export {
  CLIENT_CERTIFICATE_DEFAULTS,
  CLIENT_CERTIFICATE_SECRET_FIELDS,
  clientCertificateFields,
  clientCertificateFormFields,
  clientCertificateIssues,
  refineClientCertificate,
  type ClientCertificateField,
  type ClientCertificateValues,
} from "./client-certificate-form";

/**
 * The schema building blocks every connection type uses: the common fields (name, Test URL, allowed domains,
 * expired statuses) and field kinds (URLs, secrets, key/value rows). Client-safe.
 */

const DOMAIN = /^(\*\.)?([a-z0-9_-]+\.)*[a-z0-9_-]+(:\d{1,5})?$/i;

export const required = (what: string, max: number = LIMITS.short) => line(max).trim().min(1, `Enter ${what}.`);
export const secret = (what: string, max?: number) => secretText(what, max);

export const isHttpUrl = (u: string) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol);
export const httpUrl = (what: string) => required(what, LIMITS.url).refine(isHttpUrl, "Enter an http:// or https:// URL.");
export const optionalHttpUrl = line(LIMITS.url)
  .trim()
  .default("")
  .refine((u) => u === "" || isHttpUrl(u), "Enter an http:// or https:// URL.");

/** Splits a list typed with commas, spaces or new lines. */
export function splitList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const MAX_ROWS = 50;

/** Key/value rows (the row editor). Empty rows are dropped; a row with a value and no name is a field error. */
export function keyValueRows(kind: "parameter" | "header" | "field") {
  const row = z.object({
    name: line(LIMITS.short).trim(),
    value: line(LIMITS.headerValue),
  });
  return z
    .array(row)
    .max(MAX_ROWS, `Use at most ${MAX_ROWS} rows.`)
    .default([])
    .transform((rows) => rows.filter((r) => r.name !== "" || r.value !== ""))
    .superRefine((rows, ctx) => {
      for (const [i, r] of rows.entries()) {
        if (!r.name) ctx.addIssue({ code: "custom", path: [i, "name"], message: `Enter the ${kind} name, or remove the row.` });
        else if (kind === "header" && !isHeaderName(r.name))
          ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${r.name.slice(0, 60)}" is not a valid header name.` });
        if (kind === "header" && !isHeaderValue(r.value))
          ctx.addIssue({ code: "custom", path: [i, "value"], message: "Header values cannot contain control characters." });
      }
    });
}

/** `key=value` lines as stored before the row editor; a line without the separator becomes a name with no value. */
export function legacyRows(value: string, separator: "=" | ":"): KeyValueRow[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const at = l.indexOf(separator);
      return at <= 0 ? { name: l, value: "" } : { name: l.slice(0, at).trim(), value: l.slice(at + 1).trim() };
    });
}

/**
 * Rows as a record. Connections saved before the row editor held `key=value` text; migration 0009 converts
 * stored configs, and a consent draft started before the upgrade (10 minutes at most) is read here.
 */
export function rowsToRecord(rows: KeyValueRow[] | string | undefined, separator: "=" | ":"): Record<string, string> {
  const list = typeof rows === "string" ? legacyRows(rows, separator) : (rows ?? []);
  return Object.fromEntries(list.map((r) => [r.name, r.value]));
}

const allowedDomains = text(LIMITS.list)
  .default("")
  .refine((v) => splitList(v).every((d) => DOMAIN.test(d)), "Use host names such as api.example.com or *.example.com, optionally with :port.");

const expiredStatuses = line(LIMITS.short)
  .trim()
  .default("401")
  .refine((v) => {
    const list = splitList(v);
    return list.length > 0 && list.every((s) => /^\d{3}$/.test(s) && Number(s) >= 400 && Number(s) < 600);
  }, "Enter HTTP status codes between 400 and 599, such as 401 or 401, 403.");

export const optionalPort = line(LIMITS.short)
  .trim()
  .default("")
  .refine((p) => p === "" || (/^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535), "Enter a port between 1 and 65535.");
export const optionalHost = line(LIMITS.short)
  .trim()
  .default("")
  .superRefine((host, ctx) => {
    // {{vars.NAME}}: its form here (the server checks the name when it saves, the value when it is used).
    const issue = host.includes("{{") ? variableIssue(host) : onPremHostIssue(host);
    if (issue) ctx.addIssue({ code: "custom", message: issue });
  });

/** A field holding {{vars.NAME}} (the Test URL, the Host): what is wrong with its expressions' form, if anything. */
function variableIssue(value: string): string | undefined {
  return validateTemplate(value, "text", standaloneScope()) ?? undefined;
}

/**
 * The Test URL: absolute, or a path (/me) that goes to the on-premises Host (checked with the Host, in
 * descriptor.ts), or either with {{vars.NAME}} in it.
 */
const testUrl = line(LIMITS.url)
  .trim()
  .default("")
  .superRefine((u, ctx) => {
    if (u.includes("{{")) {
      const issue = variableIssue(u);
      if (issue) ctx.addIssue({ code: "custom", message: issue });
    } else if (!(u === "" || isHttpUrl(u) || isRelativePath(u)))
      ctx.addIssue({ code: "custom", message: "Enter an http:// or https:// URL, or a path such as /me when Host is set." });
  });

/** "Expires on": a calendar date (YYYY-MM-DD, as a date input gives it), or empty. */
const expiresOn = line(LIMITS.short)
  .trim()
  .default("")
  .refine(
    (d) =>
      d === "" ||
      (/^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d)),
    "Enter a date such as 2027-01-31, or leave it empty.",
  );

export const isRelativePath = (u: string) => u.startsWith("/") && !u.startsWith("//");

export const RELATIVE_TEST_URL_NEEDS_HOST = "A relative Test URL goes to the Host: set Host, or enter a full URL such as https://api.example.com/me.";

/**
 * The fields of every type. Spread into each type's z.object. They include the optional client certificate,
 * whose fields are secret: every type lists CLIENT_CERTIFICATE_SECRET_FIELDS in its secretFields.
 */
export const commonFields = {
  name: required("a connection name", 100),
  testUrl,
  testMethod: z.enum(["GET", "POST", "HEAD"]).default("GET"),
  allowedDomains,
  expiredStatuses,
  // Health (lib/health): how often the connection is checked and its refresh token kept alive, and when its credential expires.
  checkSchedule: z.enum(CHECK_SCHEDULE_CHOICES, "Choose Default, Off, Every hour or Every day.").default("default"),
  keepAlive: z.enum(HEALTH_SCHEDULES, "Choose Off, Every hour or Every day.").default("daily"),
  expiresOn,
  ...clientCertificateFields,
  ...proxyFields,
};

export const COMMON_DEFAULTS = {
  name: "",
  testUrl: "",
  testMethod: "GET",
  allowedDomains: "",
  expiredStatuses: "401",
  checkSchedule: "default",
  keepAlive: "daily",
  expiresOn: "",
  ...CLIENT_CERTIFICATE_DEFAULTS,
  ...PROXY_DEFAULTS,
} as const;
