import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db";
import { cookieIsSecure } from "@/lib/auth/cookie-security";
import { getSessionUserId } from "@/lib/auth/session";
import { getEnv } from "@/lib/config/env";
import { completeAuthorization, type CallbackOutcome } from "@/lib/connections";
import { newNoticeCookie } from "@/lib/connections/notice";
import { returnUrl } from "@/lib/connections/return-path";

export const dynamic = "force-dynamic";

/**
 * The OAuth provider sends the browser here after consent. RFC 9700: the code never lingers (we answer
 * with a redirect at once, no page), and no-referrer keeps the code and state out of Referer headers.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  const publicUrl = getEnv().publicUrl;
  const userId = await getSessionUserId();
  if (!userId) return away(new URL("/sign-in", publicUrl));
  let notice: CallbackOutcome;
  try {
    notice = await completeAuthorization(await getDb(), userId, new URL(request.url));
  } catch (error) {
    console.error("[plugboard] oauth callback failed:", error instanceof Error ? error.name : "unknown");
    notice = { ok: false, message: "Connecting failed on the server. Nothing was saved; start again from the Connections tab." };
  }
  // Back where the consent started (a "New connection…" in place), else the Connections tab.
  const response = away(notice.returnPath ? returnUrl(publicUrl, notice.returnPath, notice) : new URL("/connections", publicUrl));
  response.cookies.set(newNoticeCookie(), JSON.stringify({ ok: notice.ok, message: notice.message, at: Date.now() }), {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 120,
    secure: cookieIsSecure(request.headers),
  });
  return response;
}

function away(to: URL): NextResponse {
  const response = NextResponse.redirect(to, 303);
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("Cache-Control", "no-store");
  return response;
}
