import { z } from "zod";
import { isHeaderName, LIMITS, line } from "@/lib/validation/fields";
import { COMMON_DEFAULTS, commonFields, optionalHost, optionalPort, secret } from "../common";
import { defineConnectionForm } from "../descriptor";
import { ON_PREM_HOST, ON_PREM_PORT } from "../on-prem";

const schema = z
  .object({
    type: z.literal("api_key"),
    ...commonFields,
    apiKey: secret("the API key"),
    headerKey: line(LIMITS.short).trim().default("Authorization"),
    scheme: z.enum(["Basic", "Bearer", "None"]).default("Basic"),
    placement: z.enum(["header", "query"]).default("header"),
    queryParamName: line(LIMITS.short).trim().default(""),
    host: optionalHost,
    port: optionalPort,
  })
  .superRefine((v, ctx) => {
    if (v.placement === "header" && !isHeaderName(v.headerKey)) {
      ctx.addIssue({ code: "custom", path: ["headerKey"], message: "Enter a header name such as Authorization or X-API-Key." });
    }
    if (v.placement === "query" && !v.queryParamName) {
      ctx.addIssue({ code: "custom", path: ["queryParamName"], message: "Enter the query parameter name, such as api_key." });
    }
  });

export const apiKeyForm = defineConnectionForm({
  type: "api_key",
  label: "API key",
  description: "A key sent in a header (Bearer, Basic or raw) or a query parameter.",
  schema,
  defaults: {
    type: "api_key",
    ...COMMON_DEFAULTS,
    apiKey: "",
    headerKey: "Authorization",
    scheme: "Basic",
    placement: "header",
    queryParamName: "",
    host: "",
    port: "",
  },
  secretFields: ["apiKey"],
  fields: [
    { kind: "text", name: "apiKey", label: "API Key", secret: true },
    {
      kind: "select",
      name: "placement",
      label: "Placement",
      options: [
        ["header", "Header"],
        ["query", "Query parameter"],
      ],
    },
    {
      kind: "text",
      name: "queryParamName",
      label: "Query Parameter Name",
      placeholder: "api_key",
      hint: "Keys in query strings end up in server and proxy logs; prefer a header when the API allows it.",
      when: (v) => v.placement === "query",
    },
    {
      kind: "text",
      name: "headerKey",
      label: "Header Key",
      hint: "Authorization, or a header such as X-API-Key.",
      when: (v) => v.placement !== "query",
    },
    {
      kind: "select",
      name: "scheme",
      label: "Authentication Scheme",
      options: [
        ["Basic", "Basic (sends Basic {apiKey})"],
        ["Bearer", "Bearer (sends Bearer {apiKey})"],
        ["None", "None (sends the key as the header value)"],
      ],
      // Basic here is the API-key convention (the vendor hands out the value to put after "Basic"), not a
      // username and password: the key is sent as entered, never base64-encoded again.
      hint: "Basic sends the key exactly as entered after “Basic ” (APIs that issue a ready-made Basic token). For a username and password, choose the Basic auth type instead.",
      when: (v) => v.placement !== "query",
    },
    {
      kind: "row",
      fields: [
        { kind: "text", name: "host", ...ON_PREM_HOST },
        { kind: "text", name: "port", ...ON_PREM_PORT },
      ],
    },
  ],
});
