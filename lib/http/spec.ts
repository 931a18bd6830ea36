import { z } from "zod";
import { headerName, headerValue, line, LIMITS, text } from "@/lib/validation/fields";

/**
 * The request a user builds: shared by the request-builder form (client) and the executor (server), so this
 * file imports nothing from Node and holds no secrets. Credentials are not part of it: a connection's
 * CredentialProvider adds them at send time.
 */

import { HTTP_METHODS } from "./methods";
import { requestProxySchema } from "./proxy/proxy-setting";

export { HTTP_METHODS };

const keyValueRow = z.object({
  key: text(LIMITS.short),
  value: text(LIMITS.queryValue),
  enabled: z.boolean().default(true),
});

const formRow = keyValueRow.extend({ value: text(LIMITS.body) });

// An empty key is a blank row the form keeps at the end; the executor skips it.
const headerRow = keyValueRow.extend({
  key: z.union([z.literal(""), headerName()], "Header names may use only letters, digits and !#$%&'*+-.^_`|~"),
  value: headerValue(),
});

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, "File content must be bytes");

const textField = z.object({ type: z.literal("text"), name: text(LIMITS.short).min(1, "Enter a field name"), value: text(LIMITS.body) });

const fileField = z.object({
  type: z.literal("file"),
  name: text(LIMITS.short).min(1, "Enter a field name"),
  fileName: line(255).min(1, "Enter a file name"),
  contentType: headerValue(LIMITS.short).default("application/octet-stream"),
  base64: z.base64("File content must be base64").optional(),
  buffer: bytes.optional(),
  // Where the file came from (e.g. a cURL `-F f=@path`). Informational only: the executor never reads paths.
  path: text(LIMITS.url).optional(),
});

export const RAW_CONTENT_TYPES = ["json", "text", "xml", "html", "custom"] as const;

const rawBody = z
  .object({
    type: z.literal("raw"),
    contentType: z.enum(RAW_CONTENT_TYPES, "Choose json, text, xml, html or custom").default("json"),
    customContentType: headerValue(LIMITS.short).optional(),
    text: text(LIMITS.body).default(""),
  })
  .refine((b) => b.contentType !== "custom" || !!b.customContentType?.trim(), {
    message: "Enter the content type to send, like application/vnd.api+json",
    path: ["customContentType"],
  });

export const bodySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  rawBody,
  z.object({ type: z.literal("urlencoded"), fields: z.array(formRow).default([]) }),
  z.object({ type: z.literal("multipart"), fields: z.array(z.discriminatedUnion("type", [textField, fileField])).default([]) }),
]);

const url = line(LIMITS.url)
  .trim()
  .min(1, "Enter a URL")
  .refine((u) => !/^[a-z][a-z0-9+.-]*:/i.test(u) || /^https?:\/\//i.test(u), "Only http:// and https:// URLs can be requested")
  .refine((u) => !/^https?:\/\//i.test(u) || URL.canParse(u), "This is not a valid URL");

export const requestSpecSchema = z.object({
  method: z.enum(HTTP_METHODS, "Choose GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS").default("GET"),
  /** Absolute, or relative to the connection's base URL. */
  url,
  headers: z.array(headerRow).default([]),
  query: z.array(keyValueRow).default([]),
  body: bodySchema.default({ type: "none" }),
  responseType: z.enum(["json", "text", "binary"], "Choose json, text or binary").default("json"),
  timeoutSeconds: z
    .number("Enter a number of seconds")
    .int("Use whole seconds")
    .min(1, "The timeout must be at least 1 second")
    .max(300, "The timeout can be at most 300 seconds")
    .default(40),
  maxRetries: z.number().int("Use a whole number").min(0, "Retries cannot be negative").max(10, "At most 10 retries").default(0),
  retryDelayMs: z.number().int().min(0, "The delay cannot be negative").max(60_000, "The delay can be at most 60000 ms").default(0),
  /** Delay doubles each retry (with jitter); retryDelayMs is then ignored. */
  exponentialBackoff: z.boolean().default(false),
  /** Otherwise only 5xx, 429 and network errors are retried. */
  retryOnAllErrors: z.boolean().default(false),
  /** Follow 3xx for GET and HEAD. */
  followRedirect: z.boolean().default(true),
  /** Follow 3xx for every method. */
  followAllRedirects: z.boolean().default(false),
  maxRedirects: z.number().int().min(0, "Cannot be negative").max(50, "At most 50 redirects").default(5),
  requestCompressed: z.boolean().default(false),
  rejectUnauthorized: z.boolean().default(true),
  ignoreSslErrors: z.boolean().default(false),
  caCertificatePem: text(LIMITS.pem)
    .refine((p) => p.trim() === "" || p.includes("-----BEGIN CERTIFICATE-----"), "Paste a PEM certificate (-----BEGIN CERTIFICATE----- …)")
    .optional(),
  includeFullResponse: z.boolean().default(false),
  debug: z.boolean().default(false),
  /** HTTP/2 is used when a TLS server offers it (ALPN); this keeps the request on HTTP/1.1. */
  forceHttp1: z.boolean().default(false),
  /** Absent: the connection's proxy, else the instance's (see lib/http/proxy). */
  proxy: requestProxySchema.optional(),
});

/** A validated request, defaults filled in. */
export type RequestSpec = z.output<typeof requestSpecSchema>;
/** What callers may pass: defaults optional. */
export type RequestSpecInput = z.input<typeof requestSpecSchema>;
export type RequestBody = RequestSpec["body"];
export type HttpMethod = (typeof HTTP_METHODS)[number];
