import { NextResponse, type NextRequest } from "next/server";
import { signInPage } from "@/lib/auth/sign-in-page";
import { encodeSignInView, SIGN_IN_FLASH_COOKIE, SIGN_IN_FLASH_PATH, SIGN_IN_VIEW_HEADER } from "@/lib/auth/sign-in-view";
import { getEnv } from "@/lib/config/env";
import { refuseMalformedAction } from "@/lib/inbound/action-guard";

// Next.js's own cap on server action bodies (next.config.ts serverActions.bodySizeLimit); a smaller
// PLUGBOARD_MAX_UPLOAD_BYTES lowers it.
const ACTION_BODY_LIMIT = 25 * 1024 * 1024;

/**
 * Oversized or malformed server action requests get a 4xx here instead of a 500 from Next.js. The sign-in
 * page's state is computed here too (lib/auth/sign-in-view.ts says why).
 */
export async function proxy(request: NextRequest) {
  const refused = await refuseMalformedAction(request, Math.min(ACTION_BODY_LIMIT, getEnv().maxUploadBytes));
  if (refused) return refused;
  if (request.nextUrl.pathname === "/sign-in") return signInPageRequest(request);
  return NextResponse.next();
}

async function signInPageRequest(request: NextRequest): Promise<Response> {
  const page = await signInPage(request);
  // Next.js sends a redirect to this site with a relative Location (right behind any reverse proxy).
  if ("redirect" in page) return NextResponse.redirect(new URL(page.redirect, request.url), 307);
  const headers = new Headers(request.headers);
  headers.set(SIGN_IN_VIEW_HEADER, encodeSignInView(page.view));
  const response = NextResponse.next({ request: { headers } });
  // The refusal is shown once.
  if (request.cookies.has(SIGN_IN_FLASH_COOKIE)) response.cookies.delete({ name: SIGN_IN_FLASH_COOKIE, path: SIGN_IN_FLASH_PATH });
  return response;
}

// Requests that claim to be server actions (a proxy makes Next.js tee the body of every request it runs
// on), and the sign-in page.
export const config = { matcher: [{ source: "/:path*", has: [{ type: "header", key: "next-action" }] }, { source: "/sign-in" }] };
