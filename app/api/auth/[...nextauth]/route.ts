import { NextRequest } from "next/server";
import { getEnv } from "@/lib/config/env";
import { handlers } from "@/lib/auth/next-auth";
import { BodyTooLargeError, readBodyBytes } from "@/lib/inbound/read-body";

export const { GET } = handlers;

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
