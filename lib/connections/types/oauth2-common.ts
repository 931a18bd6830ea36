import { z } from "zod";
import { LIMITS, text } from "@/lib/validation/fields";
import { keyValueRows, required } from "./common";
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
  ["plus", "Plus"],
] as const;

export const SEPARATORS = { space: " ", comma: ",", plus: "+" } as const;
