import { z } from "zod";
import { isSafeReturnPath } from "@/lib/connections/return-path";

/** The SSO button's form: which provider, and where to go after (same-site paths only). */
export const startSsoSchema = z.object({
  provider: z.string().regex(/^oidc-[a-z0-9-]{1,32}$/, "Unknown sign-in provider."),
  callbackUrl: z
    .string()
    .max(2000)
    .optional()
    // The same rule as a password sign-in's callback (lib/auth/sign-in-page.ts safeCallbackPath).
    .transform((url) => (url && isSafeReturnPath(url) ? url : "/")),
});

export type StartSsoInput = z.input<typeof startSsoSchema>;
