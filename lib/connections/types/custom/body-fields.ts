import "server-only";
import type { OutgoingRequest } from "@/lib/http/types";
import { TemplateError } from "./template";

/**
 * Puts the template's body fields into the request's body: merged into a JSON object body, added to a
 * form-encoded one. Other bodies (multipart, text, XML, binary, none) cannot take fields: the request is
 * refused with words saying so rather than sent without its credentials.
 */
export function placeBodyFields(req: OutgoingRequest, fields: ReadonlyArray<readonly [string, string]>): void {
  const names = fields.map(([n]) => n).join(", ");
  const mime = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const text = req.body ? Buffer.from(req.body.buffer, req.body.byteOffset, req.body.length).toString("utf8") : "";
  if (mime === "application/json" || mime.endsWith("+json")) {
    let body: unknown = {};
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new TemplateError(`the body fields (${names}) go into a JSON object, but the request's JSON body is not valid JSON`);
      }
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      throw new TemplateError(
        `the body fields (${names}) go into a JSON object, but the request's JSON body is ${Array.isArray(body) ? "an array" : "not an object"}`,
      );
    }
    // defineProperty: a field named __proto__ stays a field instead of replacing the object's prototype.
    for (const [name, value] of fields) Object.defineProperty(body, name, { value, enumerable: true, writable: true, configurable: true });
    setBody(req, JSON.stringify(body));
  } else if (mime === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(text);
    for (const [name, value] of fields) form.set(name, value);
    setBody(req, form.toString());
  } else {
    const what = !req.body?.length && !mime ? "a request without a body" : `a ${mime || "body without a content type"} body`;
    throw new TemplateError(
      `the template's body fields (${names}) cannot go into ${what}: send a JSON or form (urlencoded) body, or place them in headers or query`,
    );
  }
}

function setBody(req: OutgoingRequest, text: string) {
  req.body = new TextEncoder().encode(text);
  // undici counts the new bytes; a length typed by the user would no longer match.
  req.headers.delete("content-length");
}
