import { z } from "zod";
import { headerValue, LIMITS, line } from "@/lib/validation/fields";
import { COMMON_DEFAULTS, commonFields, httpUrl, keyValueRows } from "../common";
import { defineConnectionForm } from "../descriptor";
import { checkClientAuth, clientAuthFormFields, clientAuthIssuerField, clientAuthIssuerFormField } from "../oauth-client-auth";
import { OAUTH_CLIENT_DEFAULTS, oauthClientFields, oauthScopeFormFields } from "../oauth2-common";

const schema = z
  .object({
    type: z.literal("oauth2_client_credentials"),
    ...commonFields,
    tokenUrl: httpUrl("the token URL"),
    ...oauthClientFields,
    tokenParams: keyValueRows("parameter"),
    tokenPlacement: z.enum(["header", "query", "both"]).default("header"),
    // Sent as "<headerTokenName> <token>" in the Authorization header.
    headerTokenName: headerValue(LIMITS.short).trim().min(1, "Enter the word before the token, such as Bearer.").default("Bearer"),
    queryParamName: line(LIMITS.short).trim().min(1, "Enter the query parameter name.").default("access_token"),
    ...clientAuthIssuerField,
  })
  .superRefine((v, ctx) => checkClientAuth(v, ctx));

export const oauth2ClientCredentialsForm = defineConnectionForm({
  type: "oauth2_client_credentials",
  label: "OAuth 2.0 Client Credentials",
  description: "Server-to-server OAuth: a client ID and secret get an access token.",
  schema,
  defaults: {
    type: "oauth2_client_credentials",
    ...COMMON_DEFAULTS,
    tokenUrl: "",
    ...OAUTH_CLIENT_DEFAULTS,
    tokenHeaders: [],
    tokenParams: [],
    tokenPlacement: "header",
    headerTokenName: "Bearer",
    queryParamName: "access_token",
    issuer: "",
  },
  secretFields: ["clientSecret", "privateKey"],
  holdsToken: () => true,
  fields: [
    { kind: "discovery", fills: { tokenUrl: true } },
    { kind: "text", name: "tokenUrl", label: "Token URL" },
    ...oauthScopeFormFields,
    ...clientAuthFormFields(),
    clientAuthIssuerFormField(),
    {
      kind: "rows",
      name: "tokenParams",
      label: "Access token parameters",
      hint: "Extra parameters for the token request, e.g. audience.",
      nameLabel: "Parameter",
      valueLabel: "Value",
    },
    {
      kind: "rows",
      name: "tokenHeaders",
      label: "Token request headers",
      hint: "Custom headers for the token request.",
      nameLabel: "Header",
      valueLabel: "Value",
    },
    {
      kind: "select",
      name: "tokenPlacement",
      label: "Token placement",
      options: [
        ["header", "Header"],
        ["query", "Query string"],
        ["both", "Both"],
      ],
    },
    {
      kind: "text",
      name: "headerTokenName",
      label: "Header token name",
      hint: "Sent as Authorization: {name} {token}.",
      when: (v) => v.tokenPlacement !== "query",
    },
    {
      kind: "text",
      name: "queryParamName",
      label: "Query string parameter name",
      hint: "Tokens in query strings end up in server and proxy logs; prefer the header.",
      when: (v) => v.tokenPlacement !== "header",
    },
  ],
});
