import { BodyTooLargeError, declaresTooLarge, formatBytes, readBodyBytes } from "./read-body";

/**
 * Next.js answers 500 when a server action's body is over `serverActions.bodySizeLimit` or cannot be
 * decoded (its action handler sets 500 for any error before the action runs). proxy.ts runs this on
 * every POST carrying a `Next-Action` header so such requests get a 4xx instead: the length must be
 * declared (browsers always declare it for action bodies) and within the limit, and the body must be
 * what React's encodeReply sends: JSON text, or a multipart form.
 */
export async function refuseMalformedAction(request: Request, limitBytes: number): Promise<Response | null> {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const declared = request.headers.get("content-length");
  if (declared === null || !/^\d+$/.test(declared.trim())) return refuse(411, "Send the body with a Content-Length.");
  if (declaresTooLarge(request.headers, limitBytes)) return refuse(413, `The body is larger than ${formatBytes(limitBytes)}.`);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await readBodyBytes(request, limitBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refuse(413, error.message);
    return refuse(400, "The body could not be read.");
  }
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "multipart/form-data") {
    const form = await new Response(bytes, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData().catch(() => null);
    return form ? null : refuse(400, "The body is not a valid multipart form.");
  }
  try {
    JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return null;
  } catch {
    return refuse(400, "The body of a server action must be JSON.");
  }
}

function refuse(status: 400 | 411 | 413, message: string): Response {
  return Response.json({ error: message }, { status, headers: { "Cache-Control": "no-store" } });
}
