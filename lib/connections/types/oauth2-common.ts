import { z } from "zod";
import { LIMITS, text } from "@/lib/validation/fields";
import { keyValueRows, required } from "./common";
import type { FormField } from "./descriptor";
import { CLIENT_AUTH_DEFAULTS, clientAuthFields } from "./oauth-client-auth";

/** Schema pieces and form words the OAuth 2.0 types share. Client-safe. */

export const scopeSeparator = z.enum(["space", "comma", "plus"]).default("space");
export const oauthClientFields = {
  scopes: text(LIMITS.list).default(""),
  scopeSeparator,
  clientId: required("the client ID", 1024),
  ...clientAuthFields,
  tokenHeaders: keyValueRows("header"),
};

export const OAUTH_CLIENT_DEFAULTS = {
  scopes: "",
  scopeSeparator: "space",
  clientId: "",
  ...CLIENT_AUTH_DEFAULTS,
  tokenHeaders: [],
} as const;

export const SCOPE_SEPARATOR_OPTIONS = [
  ["space", "Space"],
  ["comma", "Comma"],
  ["plus", "Plus (a literal +)"],
] as const;

export const SEPARATORS = { space: " ", comma: ",", plus: "+" } as const;

/** The scope and client ID controls both OAuth client types show (client authentication follows them). */
export const oauthScopeFormFields = [
  { kind: "text", name: "scopes", label: "Scopes", placeholder: "read write", hint: "Separated by spaces or commas." },
  {
    kind: "select",
    name: "scopeSeparator",
    label: "Scope separator",
    options: SCOPE_SEPARATOR_OPTIONS,
    hint: "How scopes are joined when sent to the provider. Space is the OAuth standard. Plus puts a literal + between scopes (sent encoded as %2B, so the provider reads read+write); if a provider's docs show scope=read+write only as an encoded space, choose Space.",
  },
  { kind: "text", name: "clientId", label: "Client ID" },
] as const satisfies ReadonlyArray<FormField<{ scopes?: string; scopeSeparator?: string; clientId?: string }>>;
