import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { accountSchema, setupSchema, signInSchema } from "@/lib/auth/schemas";
import { connectionInputSchema } from "@/lib/connections/schemas";
import { flowDefinitionSchema, runFlowSchema } from "@/lib/flows/model";
import { paginationSchema } from "@/lib/http/pagination-spec";
import { requestSpecSchema } from "@/lib/http/spec";
import { createApplicationSchema } from "@/lib/oauth-server/schemas";
import { runRequestSchema, saveRequestSchema } from "@/lib/requests/schemas";
import { acceptInvitationSchema, createTeamSchema } from "@/lib/teams/schemas";
import { LIMITS, NUL_MESSAGE } from "./fields";

/**
 * Every text field of every input schema, found by walking a valid sample: a NUL in it, or a value far
 * over any limit, must be a field error at that field (never a pass that fails later in Postgres or undici).
 */

const spec = {
  method: "POST",
  url: "https://api.example.com/items",
  headers: [{ key: "X-Trace", value: "abc", enabled: true }],
  query: [{ key: "page", value: "1", enabled: true }],
  body: { type: "raw", contentType: "custom", customContentType: "application/vnd.api+json", text: "{}" },
  caCertificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
};
const multipartSpec = {
  url: "https://api.example.com/upload",
  body: {
    type: "multipart",
    fields: [
      { type: "text", name: "note", value: "hello" },
      { type: "file", name: "doc", fileName: "a.txt", contentType: "text/plain", base64: "aGk=", path: "/tmp/a.txt" },
    ],
  },
};
const formSpec = { url: "https://api.example.com/form", body: { type: "urlencoded", fields: [{ key: "a", value: "b", enabled: true }] } };
const common = { name: "CRM", testUrl: "https://api.example.com/me", allowedDomains: "api.example.com", expiredStatuses: "401" };
const oauthCommon = {
  scopes: "read write",
  clientId: "client-1",
  clientSecret: "s3cret",
  tokenHeaders: [{ name: "X-Tenant", value: "acme" }],
  tokenUrl: "https://id.example.com/token",
};

const cases: Array<[string, z.ZodType, Record<string, unknown>]> = [
  ["request spec (raw)", requestSpecSchema, spec],
  ["request spec (multipart)", requestSpecSchema, multipartSpec],
  ["request spec (urlencoded)", requestSpecSchema, formSpec],
  [
    "run request",
    runRequestSchema,
    { spec, pagination: { mode: "cursorParam", param: "cursor", cursorPath: "meta.next", itemsPath: "data", stopWhen: "$.done == true" } },
  ],
  ["pagination", paginationSchema, { mode: "nextUrlFromBody", nextUrlPath: "links.next" }],
  ["save request", saveRequestSchema, { name: "List items", spec }],
  [
    "API key connection",
    connectionInputSchema,
    { type: "api_key", ...common, apiKey: "k-123", headerKey: "X-Api-Key", scheme: "None", host: "jira.internal", port: "8443" },
  ],
  ["API key in query", connectionInputSchema, { type: "api_key", ...common, apiKey: "k-123", placement: "query", queryParamName: "api_key" }],
  ["Basic connection", connectionInputSchema, { type: "basic", ...common, username: "me", password: "pw-123" }],
  [
    "OAuth code connection",
    connectionInputSchema,
    {
      type: "oauth2_code",
      ...common,
      ...oauthCommon,
      authorizeUrl: "https://id.example.com/authorize",
      refreshUrl: "https://id.example.com/refresh",
      extraAuthorizeParams: [{ name: "prompt", value: "consent" }],
      issuer: "https://id.example.com",
    },
  ],
  [
    "OAuth client credentials connection",
    connectionInputSchema,
    {
      type: "oauth2_client_credentials",
      ...common,
      ...oauthCommon,
      tokenParams: [{ name: "audience", value: "api" }],
      headerTokenName: "Bearer",
      queryParamName: "access_token",
    },
  ],
  [
    "flow",
    flowDefinitionSchema,
    {
      name: "Sync",
      description: "Copies things",
      sampleInput: '{"id": 1}',
      slots: [{ name: "CRM account", defaultConnectionId: null }],
      steps: [
        { name: "get", connection: "slot:CRM account", spec: { url: "https://api.example.com/{{input.id}}", headers: [{ key: "X-A", value: "b" }] } },
      ],
      scheduleEnabled: true,
      scheduleCron: "0 * * * *",
      scheduleTimezone: "UTC",
    },
  ],
  ["run flow", runFlowSchema, { flowId: crypto.randomUUID(), input: '{"id": 1}', slotConnections: { "CRM account": crypto.randomUUID() } }],
  [
    "application",
    createApplicationSchema,
    { name: "Reporting", grantType: "authorization_code", redirectUris: "https://app.example.com/cb", scopes: ["connections:read"] },
  ],
  ["sign in", signInSchema, { email: "a@example.com", password: "x" }],
  ["account", accountSchema, { name: "Ada", email: "a@example.com", password: "long-enough-pw" }],
  ["setup", setupSchema, { name: "Ada", email: "a@example.com", password: "long-enough-pw", teamName: "Ops" }],
  ["team", createTeamSchema, { name: "Ops" }],
  ["invitation", acceptInvitationSchema, { token: "t".repeat(40) }],
];

// Longer than any field's limit, except request bodies and form values (25 MB), which get OVERLONG_BODY.
const OVERLONG = "a".repeat(300_000);
const OVERLONG_BODY = "a".repeat(LIMITS.body + 1);
const isBodyField = (path: (string | number)[]) => /(^|\.)body\.(text|fields\.\d+\.value)$/.test(path.join("."));

/** Paths of the string leaves of a sample, skipping discriminators ("type"). */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return path.at(-1) === "type" ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function withLeaf(sample: unknown, path: (string | number)[], replace: (old: string) => string): unknown {
  const copy = structuredClone(sample) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = replace(at[path.at(-1)!] as string);
  return copy;
}

function errorsAt(schema: z.ZodType, input: unknown, path: (string | number)[]): string[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  // Flow steps' specs are validated as templates, whose issues name the same field under steps.N.spec.
  return result.error.issues.filter((i) => path.every((p, n) => String(i.path[n]) === String(p))).map((i) => i.message);
}

describe.each(cases)("%s", (_label, schema, sample) => {
  it("is valid as given", () => {
    expect(schema.safeParse(sample).error?.issues ?? []).toEqual([]);
  });

  const leaves = stringLeaves(sample).filter((p) => p.join(".") !== "flowId" && !p.join(".").endsWith("base64"));
  it.each(leaves.map((p) => [p.join("."), p]))("refuses a NUL in %s, at that field", (_name, path) => {
    const messages = errorsAt(
      schema,
      withLeaf(sample, path as (string | number)[], (v) => `${v}\0`),
      path as (string | number)[],
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it.each(leaves.map((p) => [p.join("."), p]))("refuses an overlong %s, at that field", (_name, path) => {
    const messages = errorsAt(
      schema,
      withLeaf(sample, path as (string | number)[], (v) => `${v}${isBodyField(path as (string | number)[]) ? OVERLONG_BODY : OVERLONG}`),
      path as (string | number)[],
    );
    expect(messages.length).toBeGreaterThan(0);
  });
});

describe("credential and header fields", () => {
  const credentialFields: Array<[string, Record<string, unknown>, string]> = [
    ["apiKey", cases[6][2], "apiKey"],
    ["headerKey", cases[6][2], "headerKey"],
    ["username", cases[8][2], "username"],
    ["password", cases[8][2], "password"],
    ["clientId", cases[9][2], "clientId"],
    ["clientSecret", cases[9][2], "clientSecret"],
    ["tokenHeaders", cases[10][2], "tokenHeaders.0.value"],
    ["headerTokenName", cases[10][2], "headerTokenName"],
  ];
  it.each(credentialFields.flatMap(([name, sample, field]) => ["\r", "\n", "\0"].map((c) => [name, JSON.stringify(c), sample, field, c] as const)))(
    "%s refuses %s at save time, naming the field",
    (_name, _shown, sample, field, char) => {
      if (field === "tokenHeaders.0.value") {
        const rows = [{ name: "X-Tenant", value: `a${char}b` }];
        expect(errorsAt(connectionInputSchema, { ...sample, tokenHeaders: rows }, ["tokenHeaders", 0, "value"]).length).toBeGreaterThan(0);
        return;
      }
      expect(errorsAt(connectionInputSchema, { ...sample, [field]: `a${char}b` }, [field]).length).toBeGreaterThan(0);
    },
  );

  it.each(["a\rb", "a\nb", "a\0b", "a\u0001b", "a\u007fb", "€"])("a request header value %j is refused as not an HTTP field value", (value) => {
    expect(errorsAt(requestSpecSchema, { url: "https://x.example", headers: [{ key: "X-A", value }] }, ["headers", 0, "value"])).toContain(
      value.includes("\0") ? NUL_MESSAGE : "Header values cannot contain line breaks or control characters.",
    );
  });

  it("accepts tabs, spaces and Latin-1 in header values (RFC 9110 obs-text)", () => {
    expect(requestSpecSchema.safeParse({ url: "https://x.example", headers: [{ key: "X-A", value: "a\tb café" }] }).success).toBe(true);
  });
});

describe("numbers from forms", () => {
  it("are never coerced from booleans or empty text", () => {
    const base = cases[11][2];
    for (const bad of [true, "", "1e1", "abc"]) {
      expect(errorsAt(flowDefinitionSchema, { ...base, maxConcurrentRuns: bad }, ["maxConcurrentRuns"]).length, String(bad)).toBeGreaterThan(0);
    }
    expect(flowDefinitionSchema.parse({ ...base, maxConcurrentRuns: "3" }).maxConcurrentRuns).toBe(3);
    expect(flowDefinitionSchema.parse({ ...base, maxConcurrentRuns: 3 }).maxConcurrentRuns).toBe(3);
  });
});

describe("JSON typed by a user", () => {
  it("refuses a \\u0000 escape inside the sample input and the run input, naming where", () => {
    const base = cases[11][2];
    expect(errorsAt(flowDefinitionSchema, { ...base, sampleInput: '{"a": {"b": "x\\u0000"}}' }, ["sampleInput"])[0]).toMatch(
      /NUL character.*at a\.b/,
    );
  });
});
