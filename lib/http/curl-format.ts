import { MASK, NO_SECRETS, type Masker } from "./mask";
import { appendQueryRows } from "./query-string";
import { requestSpecSchema, type RequestSpecInput } from "./spec";

export interface ToCurlOptions {
  /** Header names whose values are replaced by the mask. Default: authorization, proxy-authorization, cookie, x-api-key. */
  maskedHeaders?: string[];
  /** Hides a connection's secrets wherever they appear, in any encoding. */
  masker?: Masker;
  /** curl options that express the connection's scheme (e.g. --digest --user), secrets already masked. */
  authOptions?: string[];
  /** A shell comment above the command (e.g. why the credentials are not in it). */
  note?: string;
}

const DEFAULT_MASKED = ["authorization", "proxy-authorization", "cookie", "x-api-key"];
const RAW_TYPES = { json: "application/json", text: "text/plain; charset=utf-8", xml: "application/xml", html: "text/html; charset=utf-8" } as const;

/**
 * A cURL command that sends what the executor would send for this spec (credentials are the connection's
 * and are not in it). File fields name their file: their bytes cannot live in a command line.
 */
export function toCurl(input: RequestSpecInput, options: ToCurlOptions = {}): string {
  const spec = requestSpecSchema.parse(input);
  const masked = new Set((options.maskedHeaders ?? DEFAULT_MASKED).map((h) => h.toLowerCase()));
  // Each word is masked before it is shell-quoted: quoting rewrites a `'` in a secret as `'\''`.
  const masker = options.masker ?? NO_SECRETS;
  const quote = (word: string) => shellQuote(masker.text(word));
  const parts: string[][] = [["curl"]];
  if (spec.method === "HEAD") parts.push(["--head"]);
  else if (spec.method !== "GET") parts.push(["-X", spec.method]);
  parts.push([quote(appendQueryRows(spec.url, spec.query))]);

  const headers = spec.headers.filter((h) => h.enabled && h.key);
  const hasType = headers.some((h) => h.key.toLowerCase() === "content-type");
  for (const h of headers) parts.push(["-H", quote(`${h.key}: ${masked.has(h.key.toLowerCase()) ? MASK : h.value}`)]);

  const body = spec.body;
  if (body.type === "raw") {
    const type = body.contentType === "custom" ? (body.customContentType ?? "") : RAW_TYPES[body.contentType];
    if (!hasType) parts.push(["-H", quote(`Content-Type: ${type}`)]);
    parts.push(["--data-raw", quote(body.text)]);
  } else if (body.type === "urlencoded") {
    const params = new URLSearchParams();
    for (const f of body.fields) if (f.enabled && f.key) params.append(f.key, f.value);
    parts.push(["--data-raw", quote(params.toString())]);
  } else if (body.type === "multipart") {
    for (const f of body.fields) {
      if (f.type === "text") {
        // -F would read "@x" or "<x" as a file and cut at ";type="; --form-string sends the text as it is.
        const literal = /^[@<]|;/.test(f.value);
        parts.push([literal ? "--form-string" : "-F", quote(`${f.name}=${f.value}`)]);
      } else {
        const source = f.path ?? f.fileName;
        const name = source.split(/[\\/]/).pop() === f.fileName ? "" : `;filename=${f.fileName}`;
        parts.push(["-F", quote(`${f.name}=@${source};type=${f.contentType}${name}`)]);
      }
    }
  }

  const follows = spec.followAllRedirects || (spec.followRedirect && (spec.method === "GET" || spec.method === "HEAD"));
  if (follows) parts.push(["-L"], ["--max-redirs", String(spec.maxRedirects)]);
  if (spec.requestCompressed) parts.push(["--compressed"]);
  if (spec.ignoreSslErrors || !spec.rejectUnauthorized) parts.push(["-k"]);
  if (spec.forceHttp1) parts.push(["--http1.1"]);
  if (spec.timeoutSeconds !== 40) parts.push(["--max-time", String(spec.timeoutSeconds)]);
  if (spec.maxRetries > 0) parts.push(["--retry", String(spec.maxRetries)]);
  if (spec.maxRetries > 0 && spec.retryOnAllErrors) parts.push(["--retry-all-errors"]);
  for (let i = 0; i < (options.authOptions ?? []).length; i++) {
    const option = options.authOptions?.[i] ?? "";
    const value = options.authOptions?.[i + 1];
    // An option and its value share a line: `--user 'ann:••••'`.
    if (value !== undefined && !value.startsWith("--")) {
      parts.push([option, quote(value)]);
      i++;
    } else parts.push([option]);
  }

  const command = parts.map((p) => p.join(" ")).join(" \\\n  ");
  return options.note ? `# ${options.note.replace(/\n/g, " ")}\n${command}` : command;
}

/** Single-quotes a word for POSIX shells unless it is plainly safe. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
