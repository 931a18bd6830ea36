import { z } from "zod";
import { LIMITS, text } from "@/lib/validation/fields";
import { keyValueRows, required, secret } from "./common";

/** Schema pieces and form words the OAuth 2.0 types share. Client-safe. */

export const scopeSeparator = z.enum(["space", "comma", "plus"]).default("space");
export const clientAuth = z.enum(["client_secret_basic", "client_secret_post"]).default("client_secret_basic");

export const oauthClientFields = {
  scopes: text(LIMITS.list).default(""),
  scopeSeparator,
  clientId: required("the client ID", 1024),
  clientSecret: secret("the client secret"),
  clientAuth,
  tokenHeaders: keyValueRows("header"),
};

export const OAUTH_CLIENT_DEFAULTS = {
  scopes: "",
  scopeSeparator: "space",
  clientId: "",
  clientSecret: "",
  clientAuth: "client_secret_basic",
  tokenHeaders: [],
} as const;

export const SCOPE_SEPARATOR_OPTIONS = [
  ["space", "Space"],
  ["comma", "Comma"],
  ["plus", "Plus"],
] as const;

export const CLIENT_AUTH_OPTIONS = [
  ["client_secret_basic", "client_secret_basic (HTTP Basic header)"],
  ["client_secret_post", "client_secret_post (in the request body)"],
] as const;

export const SEPARATORS = { space: " ", comma: ",", plus: "+" } as const;
