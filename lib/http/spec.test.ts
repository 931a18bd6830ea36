import { describe, expect, it } from "vitest";
import { paginationSchema } from "./pagination-spec";
import { requestSpecSchema } from "./spec";

function issues(
  input: unknown,
  schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } } = requestSpecSchema,
) {
  const r = schema.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
}

describe("requestSpecSchema", () => {
  it("fills the documented defaults", () => {
    expect(requestSpecSchema.parse({ url: "https://api.example.com" })).toEqual({
      method: "GET",
      url: "https://api.example.com",
      headers: [],
      query: [],
      body: { type: "none" },
      responseType: "json",
      timeoutSeconds: 40,
      maxRetries: 0,
      retryDelayMs: 0,
      exponentialBackoff: false,
      retryOnAllErrors: false,
      followRedirect: true,
      followAllRedirects: false,
      maxRedirects: 5,
      requestCompressed: false,
      rejectUnauthorized: true,
      ignoreSslErrors: false,
      includeFullResponse: false,
      debug: false,
      forceHttp1: false,
    });
  });

  it("says what is wrong with each field", () => {
    expect(
      issues({
        method: "FETCH",
        url: "javascript:alert(1)",
        headers: [
          { key: "Bad Name", value: "x" },
          { key: "X-Ok", value: "a\r\nInjected: 1" },
        ],
        body: { type: "raw", contentType: "custom", text: "" },
        responseType: "xml",
        timeoutSeconds: 301,
        maxRetries: 11,
        caCertificatePem: "not a pem",
      }),
    ).toEqual({
      method: "Choose GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS",
      url: "Only http:// and https:// URLs can be requested",
      "headers.0.key": "Header names may use only letters, digits and !#$%&'*+-.^_`|~",
      "headers.1.value": "Header values cannot contain line breaks or control characters.",
      "body.customContentType": "Enter the content type to send, like application/vnd.api+json",
      responseType: "Choose json, text or binary",
      timeoutSeconds: "The timeout can be at most 300 seconds",
      maxRetries: "At most 10 retries",
      caCertificatePem: "Paste a PEM certificate (-----BEGIN CERTIFICATE----- …)",
    });
    expect(issues({ url: "  " })).toEqual({ url: "Enter a URL" });
    expect(issues({ url: "https://exa mple.com" })).toEqual({ url: "This is not a valid URL" });
    expect(issues({ url: "/relative/ok" })).toEqual({});
  });

  it("checks multipart file fields", () => {
    const file = { type: "file", name: "f", fileName: "a.bin" };
    expect(issues({ url: "/x", body: { type: "multipart", fields: [{ ...file, base64: "not base64!" }] } })).toEqual({
      "body.fields.0.base64": "File content must be base64",
    });
    expect(issues({ url: "/x", body: { type: "multipart", fields: [{ ...file, buffer: "bytes" }] } })).toEqual({
      "body.fields.0.buffer": "File content must be bytes",
    });
    expect(requestSpecSchema.parse({ url: "/x", body: { type: "multipart", fields: [{ ...file, buffer: Buffer.from("hi") }] } }).body).toMatchObject({
      fields: [{ contentType: "application/octet-stream", buffer: Buffer.from("hi") }],
    });
  });
});

describe("paginationSchema", () => {
  it("asks for what each mode needs", () => {
    expect(issues({ mode: "nextUrlFromBody" }, paginationSchema)).toEqual({ nextUrlPath: "Enter where the next page's URL is, like links.next" });
    expect(issues({ mode: "cursorParam", param: "c" }, paginationSchema)).toEqual({
      cursorPath: "Enter where the next cursor is, like meta.next_cursor",
    });
    expect(issues({ mode: "offsetParam", param: "offset" }, paginationSchema)).toEqual({
      itemsPath: "Enter the items path or an increment, so the next offset is known",
    });
    expect(issues({ mode: "off", output: "items" }, paginationSchema)).toEqual({ itemsPath: "Enter where the items are to list them" });
    expect(issues({ mode: "linkHeader", itemsPath: "a..b", maxPages: 0 }, paginationSchema)).toEqual({
      itemsPath: '"a..b" has an empty name at position 3',
      maxPages: "At least 1 page",
    });
  });
});
