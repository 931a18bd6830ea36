import { optionalHost, optionalPort, required, secret } from "./common";
import type { FormField } from "./descriptor";
import { ON_PREM_HOST, ON_PREM_PORT } from "./on-prem";

/** A username and password with an optional on-premises server: the fields Basic and Digest share. Client-safe. */

export const usernamePasswordFields = {
  username: required("the username"),
  password: secret("the password"),
  host: optionalHost,
  port: optionalPort,
};

export const USERNAME_PASSWORD_DEFAULTS = { username: "", password: "", host: "", port: "" } as const;

export const usernamePasswordFormFields = [
  { kind: "text", name: "username", label: "Username" },
  { kind: "text", name: "password", label: "Password", secret: true },
  {
    kind: "row",
    fields: [
      { kind: "text", name: "host", ...ON_PREM_HOST },
      { kind: "text", name: "port", ...ON_PREM_PORT },
    ],
  },
] as const satisfies ReadonlyArray<FormField<{ username?: string; password?: string; host?: string; port?: string }>>;
