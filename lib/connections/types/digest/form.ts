import { z } from "zod";
import { COMMON_DEFAULTS, commonFields } from "../common";
import { defineConnectionForm } from "../descriptor";
import { USERNAME_PASSWORD_DEFAULTS, usernamePasswordFields, usernamePasswordFormFields } from "../username-password";

const schema = z.object({ type: z.literal("digest"), ...commonFields, ...usernamePasswordFields });

export const digestForm = defineConnectionForm({
  type: "digest",
  label: "Digest auth",
  description: "A username and password proven with HTTP Digest (RFC 7616: MD5 or SHA-256); the password itself is never sent.",
  schema,
  defaults: { type: "digest", ...COMMON_DEFAULTS, ...USERNAME_PASSWORD_DEFAULTS },
  secretFields: ["password"],
  fields: usernamePasswordFormFields,
});
