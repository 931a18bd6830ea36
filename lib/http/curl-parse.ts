import { HARMLESS, lookupLong, lookupShort, type CurlOption } from "./curl-options";
import { curlBody, joinData, type DataPiece } from "./curl-body";
import { ShellWordsError, splitShellWords } from "./shell-words";
import { requestSpecSchema, type RequestSpec } from "./spec";

/**
 * Turns a pasted cURL command into a request spec (client-safe: no Node imports). Files referenced with @
 * cannot be read here; they become file fields without content, and a warning says so.
 */
export class CurlParseError extends Error {}

type Parsed = {
  method?: string;
  url?: string;
  headers: [string, string][];
  data: DataPiece[];
  form: { text: string; literal: boolean }[];
  flags: Set<CurlOption>;
  values: Partial<Record<CurlOption, string>>;
  warnings: string[];
};

export function parseCurl(command: string): RequestSpec {
  return parseCurlDetailed(command).spec;
}

export function parseCurlDetailed(command: string): { spec: RequestSpec; warnings: string[] } {
  const words = commandWords(command);
  const p = readOptions(words);
  if (!p.url) throw new CurlParseError("the cURL command has no URL");
  let url = /^[a-z][a-z0-9+.-]*:\/\//i.test(p.url) ? p.url : `http://${p.url}`;

  const get = p.flags.has("get");
  const method = p.method ?? (p.flags.has("head") ? "HEAD" : !get && (p.data.length || p.form.length) ? "POST" : "GET");
  if (get && p.data.length) url += (url.includes("?") ? "&" : "?") + joinData(p.data, p.warnings);
  const { body, headers, warnings } = curlBody(get ? [] : p.data, p.form, p.headers);
  // curl -L follows every method; the spec says so with followAllRedirects only where it makes a difference.
  const follow = p.flags.has("location");
  const bodiless = ["GET", "HEAD"].includes(method.toUpperCase());
  const candidate = {
    method: method.toUpperCase(),
    url,
    headers: headers.map(([key, value]) => ({ key, value, enabled: true })),
    query: [],
    body,
    requestCompressed: p.flags.has("compressed"),
    followRedirect: follow,
    followAllRedirects: follow && !bodiless,
    ignoreSslErrors: p.flags.has("insecure"),
    forceHttp1: p.flags.has("http1.1"),
    retryOnAllErrors: p.flags.has("retry-all-errors"),
    ...numberOption(p, "max-time", "timeoutSeconds", 1, 300, Math.ceil),
    ...numberOption(p, "max-redirs", "maxRedirects", 0, 50, Math.floor),
    ...numberOption(p, "retry", "maxRetries", 0, 10, Math.floor),
  };
  const parsed = requestSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new CurlParseError(parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`).join("; "));
  }
  return { spec: parsed.data, warnings: [...p.warnings, ...warnings] };
}

/** At most this much of what was pasted is quoted back in a refusal. */
const QUOTED = 40;

/**
 * The words after `curl`. Text that does not start with curl (a bare URL, a sentence, another tool's
 * command) is refused rather than guessed at: the form is replaced only by what a curl command says.
 */
function commandWords(command: string): string[] {
  let words: string[];
  try {
    // A shell prompt pasted along with the command ("$ curl …") is not part of it.
    words = splitShellWords(command.trim().replace(/^\$\s+/, ""));
  } catch (error) {
    if (error instanceof ShellWordsError) throw new CurlParseError(error.message);
    throw error;
  }
  const first = words[0];
  if (first === undefined) throw new CurlParseError("there is nothing to import: paste a command that starts with curl");
  if (!/^(.*[\\/])?curl(\.exe)?$/i.test(first)) {
    const shown = first.length > QUOTED ? `${first.slice(0, QUOTED)}…` : first;
    throw new CurlParseError(`this is not a cURL command: it starts with "${shown}", not with curl`);
  }
  return words.slice(1);
}

function readOptions(words: string[]): Parsed {
  const p: Parsed = { headers: [], data: [], form: [], flags: new Set(), values: {}, warnings: [] };
  let onlyPositional = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (onlyPositional || !word.startsWith("-") || word === "-") {
      positional(p, word);
      continue;
    }
    if (word === "--") {
      onlyPositional = true;
      continue;
    }
    if (word.startsWith("--")) {
      const found = lookupLong(word.slice(2));
      const value = found.takesValue ? words[++i] : undefined;
      if (found.takesValue && value === undefined) throw new CurlParseError(`${found.name} needs a value`);
      take(p, found.option, found.name, value);
      continue;
    }
    // A cluster of short options (-sSL); a letter that takes a value swallows the rest (-XPOST) or the next word.
    for (let j = 1; j < word.length; j++) {
      const found = lookupShort(word[j]);
      if (!found.takesValue) {
        take(p, found.option, found.name, undefined);
        continue;
      }
      const value = j + 1 < word.length ? word.slice(j + 1) : words[++i];
      if (value === undefined) throw new CurlParseError(`${found.name} needs a value`);
      take(p, found.option, found.name, value);
      break;
    }
  }
  return p;
}

function positional(p: Parsed, word: string) {
  if (p.url === undefined) p.url = word;
  else p.warnings.push(`only the first URL is imported; ignored "${word}"`);
}

function take(p: Parsed, option: CurlOption | undefined, name: string, value: string | undefined) {
  if (!option) {
    if (!HARMLESS.has(name)) p.warnings.push(`${name} is not supported and was ignored`);
    return;
  }
  const v = value ?? "";
  switch (option) {
    case "request":
      p.method = v;
      return;
    case "url":
      return positional(p, v);
    case "header": {
      const colon = v.indexOf(":");
      if (colon > 0) {
        const headerValue = v.slice(colon + 1).trim();
        // "Name:" with nothing after it tells curl to drop a header it would add: nothing to import.
        if (headerValue) p.headers.push([v.slice(0, colon).trim(), headerValue]);
      } else if (v.endsWith(";")) p.headers.push([v.slice(0, -1).trim(), ""]);
      else p.warnings.push(`ignored the header "${v}": it has no name: value form`);
      return;
    }
    case "data":
    case "data-binary":
    case "data-raw":
    case "data-urlencode":
    case "json":
      p.data.push({ kind: option, value: v });
      return;
    case "form":
    case "form-string":
      p.form.push({ text: v, literal: option === "form-string" });
      return;
    case "user":
      p.headers.push(["Authorization", `Basic ${base64(v.includes(":") ? v : `${v}:`)}`]);
      return;
    case "oauth2-bearer":
      p.headers.push(["Authorization", `Bearer ${v}`]);
      return;
    case "user-agent":
      p.headers.push(["User-Agent", v]);
      return;
    case "referer":
      p.headers.push(["Referer", v]);
      return;
    case "cookie":
      if (v.includes("=")) p.headers.push(["Cookie", v]);
      else p.warnings.push(`-b ${v} reads cookies from a file, which cannot be imported`);
      return;
    default:
      if (value === undefined) p.flags.add(option);
      else p.values[option] = v;
  }
}

function numberOption<K extends string>(p: Parsed, option: CurlOption, key: K, min: number, max: number, round: (n: number) => number) {
  const raw = p.values[option];
  if (raw === undefined) return {};
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    p.warnings.push(`ignored --${option} ${raw}: not a number`);
    return {};
  }
  return { [key]: Math.min(max, Math.max(min, round(n))) } as Record<K, number>;
}

function base64(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}
