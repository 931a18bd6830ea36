import { z } from "zod";
import { COMMON_DEFAULTS, commonFields } from "../common";
import { defineConnectionForm } from "../descriptor";
import { USERNAME_PASSWORD_DEFAULTS, usernamePasswordFields, usernamePasswordFormFields } from "../username-password";

const schema = z.object({ type: z.literal("basic"), ...commonFields, ...usernamePasswordFields });

export const basicForm = defineConnectionForm({
  type: "basic",
  label: "Basic auth",
  description: "A username and password, sent as HTTP Basic authentication.",
  schema,
  defaults: { type: "basic", ...COMMON_DEFAULTS, ...USERNAME_PASSWORD_DEFAULTS },
  secretFields: ["password"],
  fields: usernamePasswordFormFields,
});
