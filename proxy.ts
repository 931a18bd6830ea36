import { NextResponse, type NextRequest } from "next/server";
import { getEnv } from "@/lib/config/env";
import { refuseMalformedAction } from "@/lib/inbound/action-guard";

// Next.js's own cap on server action bodies (next.config.ts serverActions.bodySizeLimit); a smaller
// PLUGBOARD_MAX_UPLOAD_BYTES lowers it.
const ACTION_BODY_LIMIT = 25 * 1024 * 1024;

/** Oversized or malformed server action requests get a 4xx here instead of a 500 from Next.js. */
export async function proxy(request: NextRequest) {
  return (await refuseMalformedAction(request, Math.min(ACTION_BODY_LIMIT, getEnv().maxUploadBytes))) ?? NextResponse.next();
}

// Only requests that claim to be server actions: a proxy makes Next.js tee the body of every request it runs on.
export const config = { matcher: [{ source: "/:path*", has: [{ type: "header", key: "next-action" }] }] };
