import { NextRequest } from "next/server";
import { getEnv } from "@/lib/config/env";
import { getDb } from "@/db";
import { clientIp } from "@/lib/auth/client-ip";
import { handlers } from "@/lib/auth/next-auth";
import { auditRefusedSsoCallback } from "@/lib/sso/callback-audit";
import { BodyTooLargeError, readBodyBytes } from "@/lib/inbound/read-body";

/** Auth.js's GET routes; a callback it refuses itself is audited (lib/sso/callback-audit.ts). */
export async function GET(request: NextRequest): Promise<Response> {
  const response = await handlers.GET(request);
  await auditRefusedSsoCallback(await getDb(), request.url, response.headers.get("location"), clientIp(request.headers));
  return response;
}

/** Auth.js reads the body whole; hand it the capped bytes instead of the open stream. */
export async function POST(request: NextRequest): Promise<Response> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBodyBytes(request, getEnv().maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return Response.json({ error: error.message }, { status: 413 });
    throw error;
  }
  return handlers.POST(new NextRequest(request, { body }));
}
