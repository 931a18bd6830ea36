import { z } from "zod";
import { COMMON_DEFAULTS, commonFields, httpUrl, keyValueRows, optionalHttpUrl } from "../common";
import { defineConnectionForm } from "../descriptor";
import { checkClientAuth, clientAuthFormFields } from "../oauth-client-auth";
import { OAUTH_CLIENT_DEFAULTS, oauthClientFields, oauthScopeFormFields } from "../oauth2-common";

const schema = z
  .object({
    type: z.literal("oauth2_code"),
    ...commonFields,
    authorizeUrl: httpUrl("the authorize URL"),
    tokenUrl: httpUrl("the token URL"),
    refreshUrl: optionalHttpUrl,
    ...oauthClientFields,
    usePkce: z.boolean().default(true),
    extraAuthorizeParams: keyValueRows("parameter"),
    /** Filled by discovery: enables the RFC 9207 `iss` check. */
    issuer: optionalHttpUrl,
    issParameterSupported: z.boolean().default(false),
  })
  .superRefine((v, ctx) => checkClientAuth(v, ctx));

export const oauth2CodeForm = defineConnectionForm({
  type: "oauth2_code",
  label: "OAuth 2.0 Authorization Code",
  description: "A user grants access at the provider (consent); tokens are refreshed automatically.",
  schema,
  defaults: {
    type: "oauth2_code",
    ...COMMON_DEFAULTS,
    authorizeUrl: "",
    tokenUrl: "",
    refreshUrl: "",
    ...OAUTH_CLIENT_DEFAULTS,
    tokenHeaders: [],
    usePkce: true,
    extraAuthorizeParams: [],
    issuer: "",
    issParameterSupported: false,
  },
  secretFields: ["clientSecret", "privateKey"],
  holdsToken: () => true,
  submitLabel: "Save and authorize",
  fields: [
    { kind: "discovery", fills: { tokenUrl: true, authorizeUrl: true, issuer: true } },
    { kind: "callback-url" },
    { kind: "text", name: "authorizeUrl", label: "Authorize URL" },
    { kind: "text", name: "tokenUrl", label: "Token URL" },
    { kind: "text", name: "refreshUrl", label: "Refresh URL", hint: "Optional: the token URL is used when empty." },
    {
      kind: "text",
      name: "issuer",
      label: "Issuer",
      placeholder: "https://accounts.example.com",
      hint: "Optional (filled by discovery): the provider's issuer identifier. When set, a callback whose iss names another issuer is refused (RFC 9207).",
    },
    ...oauthScopeFormFields,
    ...clientAuthFormFields(),
    { kind: "checkbox", name: "usePkce", label: "Use PKCE", hint: "S256 code challenge; turn off only for providers that reject it." },
    {
      kind: "rows",
      name: "extraAuthorizeParams",
      label: "Extra authorize parameters",
      hint: "Added to the consent URL, e.g. access_type = offline or prompt = consent.",
      nameLabel: "Parameter",
      valueLabel: "Value",
    },
    {
      kind: "rows",
      name: "tokenHeaders",
      label: "Token request headers",
      hint: "Extra headers for token requests.",
      nameLabel: "Header",
      valueLabel: "Value",
    },
  ],
});
