/**
 * The cURL options a pasted command may carry. Those Plugboard maps have a name here; the others are only
 * listed so the parser knows whether they take a value (and does not mistake that value for the URL).
 */
export type CurlOption =
  | "request"
  | "header"
  | "data"
  | "data-raw"
  | "data-binary"
  | "data-urlencode"
  | "json"
  | "form"
  | "form-string"
  | "user"
  | "url"
  | "get"
  | "head"
  | "compressed"
  | "location"
  | "insecure"
  | "http1.1"
  | "user-agent"
  | "referer"
  | "cookie"
  | "max-time"
  | "max-redirs"
  | "retry"
  | "retry-all-errors"
  | "oauth2-bearer";

const SHORT: Record<string, CurlOption> = {
  X: "request",
  H: "header",
  d: "data",
  F: "form",
  u: "user",
  G: "get",
  I: "head",
  L: "location",
  k: "insecure",
  A: "user-agent",
  e: "referer",
  b: "cookie",
  m: "max-time",
};

const LONG: Record<string, CurlOption> = {
  request: "request",
  header: "header",
  data: "data",
  "data-ascii": "data",
  "data-raw": "data-raw",
  "data-binary": "data-binary",
  "data-urlencode": "data-urlencode",
  json: "json",
  form: "form",
  "form-string": "form-string",
  user: "user",
  url: "url",
  get: "get",
  head: "head",
  compressed: "compressed",
  location: "location",
  "location-trusted": "location",
  insecure: "insecure",
  "http1.1": "http1.1",
  "user-agent": "user-agent",
  referer: "referer",
  cookie: "cookie",
  "max-time": "max-time",
  "max-redirs": "max-redirs",
  retry: "retry",
  "retry-all-errors": "retry-all-errors",
  "oauth2-bearer": "oauth2-bearer",
};

const TAKES_VALUE = new Set<CurlOption>([
  "request",
  "header",
  "data",
  "data-raw",
  "data-binary",
  "data-urlencode",
  "json",
  "form",
  "form-string",
  "user",
  "url",
  "user-agent",
  "referer",
  "cookie",
  "max-time",
  "max-redirs",
  "retry",
  "oauth2-bearer",
]);

// Ignored options that take a value.
const IGNORED_SHORT_WITH_VALUE = new Set("owxcTrEKDUyYzCPtQ".split(""));
const IGNORED_LONG_WITH_VALUE = new Set([
  "output",
  "write-out",
  "proxy",
  "cookie-jar",
  "upload-file",
  "range",
  "cert",
  "key",
  "cacert",
  "capath",
  "resolve",
  "retry-delay",
  "retry-max-time",
  "config",
  "dump-header",
  "proxy-user",
  "limit-rate",
  "interface",
  "local-port",
  "unix-socket",
  "connect-to",
  "ciphers",
  "tls-max",
  "aws-sigv4",
  "pinnedpubkey",
  "keepalive-time",
  "expect100-timeout",
  "cert-type",
  "key-type",
  "pass",
  "noproxy",
  "connect-timeout",
  "speed-limit",
  "speed-time",
  "max-filesize",
  "trace",
  "trace-ascii",
  "stderr",
  "variable",
  "time-cond",
  "continue-at",
  "proxy-header",
  "request-target",
  "preproxy",
  "socks5",
  "socks5-hostname",
  "mail-from",
  "mail-rcpt",
  "hostpubmd5",
  "netrc-file",
]);

export type OptionLookup = { option?: CurlOption; takesValue: boolean; name: string };

export function lookupLong(name: string): OptionLookup {
  const option = LONG[name];
  if (option) return { option, takesValue: TAKES_VALUE.has(option), name: `--${name}` };
  return { takesValue: IGNORED_LONG_WITH_VALUE.has(name), name: `--${name}` };
}

export function lookupShort(letter: string): OptionLookup {
  const option = SHORT[letter];
  if (option) return { option, takesValue: TAKES_VALUE.has(option), name: `-${letter}` };
  return { takesValue: IGNORED_SHORT_WITH_VALUE.has(letter), name: `-${letter}` };
}

/** Flags that change nothing about the request (output, progress, verbosity): ignored without a warning. */
export const HARMLESS = new Set([
  "-s",
  "-S",
  "-v",
  "-i",
  "-f",
  "-g",
  "-N",
  "-#",
  "-o",
  "-O",
  "-w",
  "-D",
  "--silent",
  "--show-error",
  "--verbose",
  "--include",
  "--fail",
  "--fail-with-body",
  "--globoff",
  "--no-buffer",
  "--progress-bar",
  "--output",
  "--write-out",
  "--dump-header",
  "--http2",
  "--compressed-ssh",
  "--path-as-is",
  "--trace",
  "--trace-ascii",
  "--stderr",
  "--remote-name",
  "--no-progress-meter",
  "--connect-timeout",
  "--retry-delay",
  "--retry-max-time",
  "--retry-connrefused",
  "--keepalive-time",
  "--no-keepalive",
  "--tcp-nodelay",
]);
