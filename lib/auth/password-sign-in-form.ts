import "server-only";
import { NextResponse } from "next/server";
import { getEnv } from "@/lib/config/env";
import { ServiceError } from "@/lib/errors/service-error";
import { BodyTooLargeError, readBodyForm } from "@/lib/inbound/read-body";
import { zodFieldErrors } from "./action";
import { cookieIsSecure } from "./cookie-security";
import { startPasswordSession } from "./password-session";
import { signInSchema } from "./schemas";
import { safeCallbackPath } from "./sign-in-page";
import { encodeSignInFlash, SIGN_IN_FLASH_COOKIE, SIGN_IN_FLASH_PATH, SIGN_IN_FLASH_SECONDS, type SignInFlash } from "./sign-in-view";

/** Email, password and a callback path, form-encoded: a few KB at most (PLUGBOARD_MAX_BODY_BYTES if lower). */
export const SIGN_IN_FORM_LIMIT_BYTES = 8 * 1024;

/**
 * Login CSRF: only the sign-in page of this site may post here. Browsers say where a request comes from
 * in Sec-Fetch-Site, and older ones in Origin; a request with neither is refused.
 */
function fromThisSite(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  const origin = request.headers.get("origin");
  if (!origin || !URL.canParse(origin)) return false;
  return new URL(origin).host === request.headers.get("host");
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** 303 to `location`, relative (right behind any reverse proxy). */
function seeOther(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: location } });
}

/** Back to the page, which shows the refusal and the typed email once (lib/auth/sign-in-view.ts). */
function backToSignIn(request: Request, callbackUrl: string, flash: SignInFlash): NextResponse {
  const path = safeCallbackPath(callbackUrl);
  const response = seeOther(path === "/" ? "/sign-in" : `/sign-in?${new URLSearchParams({ callbackUrl: path })}`);
  response.cookies.set(SIGN_IN_FLASH_COOKIE, encodeSignInFlash(flash), {
    path: SIGN_IN_FLASH_PATH,
    maxAge: SIGN_IN_FLASH_SECONDS,
    httpOnly: true,
    sameSite: "lax",
    secure: cookieIsSecure(request.headers),
  });
  return response;
}

/**
 * The sign-in form's POST (app/(auth)/sign-in/password/route.ts): the same schema and session start as
 * every password sign-in (rate limits, audit and SSO-only refusal are in startPasswordSession), answered
 * with a redirect so that it works without JavaScript.
 */
export async function passwordSignInForm(request: Request): Promise<Response> {
  if (!fromThisSite(request)) return Response.json({ error: "Sign in from this site's sign-in page." }, { status: 403 });
  let form: FormData;
  try {
    form = await readBodyForm(request, Math.min(SIGN_IN_FORM_LIMIT_BYTES, getEnv().maxBodyBytes));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return Response.json({ error: error.message }, { status: 413 });
    return Response.json({ error: "The body must be a form (email, password)." }, { status: 400 });
  }
  const callbackUrl = field(form, "callbackUrl");
  // Kept to fill the form again: bounded as the cookie is, and never the password.
  const email = field(form, "email").slice(0, 254);
  const parsed = signInSchema.safeParse({ email: field(form, "email"), password: field(form, "password") });
  if (!parsed.success)
    return backToSignIn(request, callbackUrl, { email, error: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) });
  try {
    await startPasswordSession(parsed.data.email, parsed.data.password);
  } catch (error) {
    if (error instanceof ServiceError) return backToSignIn(request, callbackUrl, { email, error: error.message });
    throw error;
  }
  return seeOther(safeCallbackPath(callbackUrl));
}
