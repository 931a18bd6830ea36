import { z } from "zod";
import { RETURN_PATH_MAX } from "@/lib/connections/return-path";

/**
 * What the sign-in page shows. The page (pages/sign-in.tsx) is a Pages Router page that ships no
 * JavaScript, and Pages Router code may not import the server-only modules that know the session, the SSO
 * providers and the settings; proxy.ts, which may, computes this (lib/auth/sign-in-page.ts) and hands it to
 * the page in a request header that it always sets itself, so a header sent by the browser never arrives.
 */
export const SIGN_IN_VIEW_HEADER = "x-plugboard-sign-in-view";

/**
 * A refused password sign-in (app/(auth)/sign-in/password/route.ts) as the page shows it once: the message,
 * the field errors and the typed email (never the password), in a short-lived HttpOnly cookie rather than
 * the URL, so none of it lands in history, logs or a Referer.
 */
export const SIGN_IN_FLASH_COOKIE = "pb_sign_in_flash";
export const SIGN_IN_FLASH_SECONDS = 60;
/** The cookie's path: only the sign-in page (GET) and its form's target send it back. */
export const SIGN_IN_FLASH_PATH = "/sign-in";

const message = z.string().max(300);

const signInFlashSchema = z.object({
  email: z.string().max(254),
  error: message.optional(),
  fieldErrors: z.object({ email: message.optional(), password: message.optional() }).optional(),
});

const signInViewSchema = z.object({
  /** As it came in the URL, for the SSO links and the form; each target checks it (same-site paths only). */
  callbackUrl: z.string().max(RETURN_PATH_MAX).optional(),
  /** A refused or failed SSO sign-in, from a fixed table. */
  ssoMessage: message.optional(),
  /** An SSO sign-in is waiting for this account's password (no SSO buttons then). */
  linkPending: z.boolean(),
  ssoOnly: z.boolean(),
  buttons: z.array(z.object({ authId: z.string().max(64), label: z.string().max(200) })).max(100),
  /** `<html data-theme>`, as the root layout sets it (lib/theme). */
  theme: z.enum(["light", "dark"]).optional(),
  flash: signInFlashSchema.optional(),
});

export type SignInFlash = z.infer<typeof signInFlashSchema>;
export type SignInView = z.infer<typeof signInViewSchema>;

// Header and cookie values are ASCII: the JSON is percent-encoded (labels and emails may not be).
const encode = (value: unknown) => encodeURIComponent(JSON.stringify(value));

function decode<T>(schema: z.ZodType<T>, value: string | undefined): T | undefined {
  if (!value) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(decodeURIComponent(value)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const encodeSignInView = (view: SignInView) => encode(signInViewSchema.parse(view));
export const decodeSignInView = (value: string | undefined) => decode(signInViewSchema, value);
export const encodeSignInFlash = (flash: SignInFlash) => encode(signInFlashSchema.parse(flash));
/** A flash the browser altered or that outgrew the bounds is dropped, not shown. */
export const decodeSignInFlash = (value: string | undefined) => decode(signInFlashSchema, value);
