import { z } from "zod";

/** The SSO button's form: which provider, and where to go after (same-site paths only). */
export const startSsoSchema = z.object({
  provider: z.string().regex(/^oidc-[a-z0-9-]{1,32}$/, "Unknown sign-in provider."),
  callbackUrl: z
    .string()
    .max(2000)
    .optional()
    .transform((url) => (url?.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : "/")),
});

export type StartSsoInput = z.input<typeof startSsoSchema>;
