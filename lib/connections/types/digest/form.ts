import { z } from "zod";
import { COMMON_DEFAULTS, commonFields, optionalHost, optionalPort, required, secret } from "../common";
import { defineConnectionForm } from "../descriptor";
import { ON_PREM_HOST, ON_PREM_PORT } from "../on-prem";

const schema = z.object({
  type: z.literal("digest"),
  ...commonFields,
  username: required("the username"),
  password: secret("the password"),
  host: optionalHost,
  port: optionalPort,
});

export const digestForm = defineConnectionForm({
  type: "digest",
  label: "Digest auth",
  description: "A username and password proven with HTTP Digest (RFC 7616: MD5 or SHA-256); the password itself is never sent.",
  schema,
  defaults: { type: "digest", ...COMMON_DEFAULTS, username: "", password: "", host: "", port: "" },
  secretFields: ["password"],
  fields: [
    { kind: "text", name: "username", label: "Username" },
    { kind: "text", name: "password", label: "Password", secret: true },
    {
      kind: "row",
      fields: [
        { kind: "text", name: "host", ...ON_PREM_HOST },
        { kind: "text", name: "port", ...ON_PREM_PORT },
      ],
    },
  ],
});
