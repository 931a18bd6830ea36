import { z } from "zod";
import { LIMITS, text } from "@/lib/validation/fields";
import { COMMON_DEFAULTS, commonFields, httpUrl, required, secret, splitList } from "../common";
import { defineConnectionForm, type FormField } from "../descriptor";
import {
  CLIENT_AUTH_DEFAULTS,
  checkClientAuth,
  clientAuthFields,
  clientAuthFormFields,
  clientAuthIssuerField,
  clientAuthIssuerFormField,
} from "../oauth-client-auth";

const schema = z
  .object({
    type: z.literal("oauth2_password"),
    ...commonFields,
    tokenUrl: httpUrl("the token URL"),
    username: required("the username", LIMITS.short),
    password: secret("the password"),
    clientId: required("the client ID"),
    ...clientAuthFields,
    ...clientAuthIssuerField,
    scopes: text(LIMITS.list).default(""),
  })
  .superRefine((v, ctx) => {
    checkClientAuth(v, ctx);
    if (splitList(v.scopes).length > 100) ctx.addIssue({ code: "custom", path: ["scopes"], message: "Use at most 100 scopes." });
  });

const fields: ReadonlyArray<FormField<z.input<typeof schema>>> = [
  { kind: "text", name: "tokenUrl", label: "Token URL", placeholder: "https://auth.internal/oauth/token" },
  {
    kind: "row",
    fields: [
      { kind: "text", name: "username", label: "Username" },
      { kind: "text", name: "password", label: "Password", secret: true },
    ],
  },
  { kind: "text", name: "clientId", label: "Client ID" },
  ...clientAuthFormFields(),
  clientAuthIssuerFormField(),
  { kind: "text", name: "scopes", label: "Scopes", placeholder: "read write", hint: "Separated by spaces or commas." },
];

export const oauth2PasswordForm = defineConnectionForm({
  type: "oauth2_password",
  label: "OAuth 2.0 password (legacy)",
  description: "A username and password exchanged for an access token (Resource Owner Password grant).",
  warning:
    "Legacy grant: RFC 9700 §2.4 says the Resource Owner Password grant MUST NOT be used, because the password leaves the user's hands. " +
    "Use it only for an internal API that offers nothing else; prefer authorization code or client credentials.",
  schema,
  defaults: {
    type: "oauth2_password",
    ...COMMON_DEFAULTS,
    tokenUrl: "",
    username: "",
    password: "",
    clientId: "",
    ...CLIENT_AUTH_DEFAULTS,
    issuer: "",
    scopes: "",
  },
  secretFields: ["password", "clientSecret", "privateKey"],
  holdsToken: () => true,
  fields,
});
