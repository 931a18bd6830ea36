import type { HttpErrorKind } from "./types";

/** A failure with its kind decided; everything the executor throws on purpose is one of these. */
export class HttpRequestError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    /** Set when a response arrived but could not be used. */
    readonly response?: { status: number; statusText: string; headers: Record<string, string | string[]>; url: string; bodyPreview?: string },
  ) {
    super(message);
    this.name = "HttpRequestError";
  }
}

// OpenSSL verification codes, said the way a person would check their certificate.
const TLS_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate chain ends in a self-signed certificate that is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "unable to verify the server's certificate (its issuer is unknown or the chain is incomplete)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "unable to verify the server's certificate: its issuer is not a trusted CA",
  UNABLE_TO_GET_ISSUER_CERT: "unable to verify the server's certificate: its issuer certificate is missing",
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  CERT_NOT_YET_VALID: "the server's certificate is not valid yet",
  CERT_REVOKED: "the server's certificate was revoked",
  CERT_SIGNATURE_FAILURE: "the server's certificate signature is invalid",
  ERR_TLS_CERT_ALTNAME_INVALID: "hostname mismatch: the server's certificate is not valid for this host",
};

const TLS_HINT = "trust its CA with a CA certificate, or turn on 'ignore SSL errors'";
// The request's CA certificate and 'ignore SSL errors' are the target's: they never loosen the proxy's check.
const PROXY_TLS_HINT =
  "trust the proxy's CA in the server's environment (NODE_EXTRA_CA_CERTS); a request's CA certificate and 'ignore SSL errors' apply to the target only";

/**
 * Set by lib/http/proxy on an error of the connection to a proxy itself (its TLS handshake, refused, unreachable):
 * the failure is then said of the proxy, not of the target the request was for.
 */
export const PROXY_CONNECTION = Symbol("plugboard.proxyConnection");
export type ProxyConnectionTag = { host: string; port: string };

const REFUSED = "the server refused the connection's client certificate";
const CLIENT_CERTIFICATE_HINT = "check the connection's client certificate (mutual TLS)";

// What a server says about our client certificate (TLS alerts), and what the dispatcher infers when it
// closed without saying (dispatcher.ts, explainClientCertificateRefusal).
const CLIENT_CERTIFICATE_PROBLEMS: Record<string, string> = {
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    "the server requires a client certificate (mutual TLS) and none was presented; add one to the connection",
  ERR_TLS_CLIENT_CERTIFICATE_MISSING:
    "the server asked for a client certificate and closed the connection without answering: it most likely requires one (mutual TLS) and none was presented; add one to the connection",
  ERR_TLS_CLIENT_CERTIFICATE_REFUSED:
    "the server asked for a client certificate and closed the connection without answering: it most likely refused the one presented (is it issued by a CA the server trusts, and still valid?)",
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: `${REFUSED}: it does not trust the CA that issued it`,
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: `${REFUSED} (bad certificate); ${CLIENT_CERTIFICATE_HINT}`,
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: `${REFUSED} (unsupported certificate); ${CLIENT_CERTIFICATE_HINT}`,
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: `${REFUSED}: it has expired`,
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: `${REFUSED}: it was revoked`,
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: `${REFUSED}; ${CLIENT_CERTIFICATE_HINT}`,
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: `${REFUSED} (access denied for this certificate)`,
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE:
    "the server refused the TLS handshake: it may require a client certificate (mutual TLS), or share no TLS version or cipher with Plugboard",
};

// OpenSSL failing to load the connection's own client certificate, before anything is sent. Matched on
// Node's code, or its message where it gives none; OpenSSL's text is never passed on.
const CLIENT_CERTIFICATE_LOADING: Array<[(e: ErrorLike) => boolean, string]> = [
  [(e) => /^mac verify failure$/i.test(e.message), "the passphrase does not open its PKCS#12 bundle"],
  [
    (e) => e.code === "ERR_CRYPTO_UNSUPPORTED_OPERATION" && /PKCS12/i.test(e.message),
    "its PKCS#12 bundle uses an algorithm OpenSSL 3 no longer loads (RC2 or 3DES)",
  ],
  [(e) => e.code === "ERR_OSSL_BAD_DECRYPT", "the passphrase does not open its private key"],
  // The same wrong passphrase on an encrypted PEM key: in a process that has loaded other keys or providers
  // before (a long-running server, a test worker running file after file), OpenSSL 3's decoders may report
  // that none of them could read it instead of the failed decryption.
  [
    (e) => e.code === "ERR_OSSL_UNSUPPORTED" && /DECODER routines/i.test(e.message),
    "the passphrase does not open its private key, or OpenSSL cannot read the key's format",
  ],
  [(e) => e.code === "ERR_OSSL_X509_KEY_VALUES_MISMATCH", "the key does not match the certificate"],
];

// An https:// URL to a server that speaks plain http: OpenSSL reads the HTTP answer as a TLS record.
const PLAIN_HTTP_CODES = new Set(["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG"]);

/** OpenSSL's reason words without its error-stack prefix and source location ("…:SSL routines:func:reason:file:line:"). */
function opensslReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1]?.trim() ?? message;
}

type Target = { host: string; port: string };

/** Turns whatever undici, net, tls or dns threw into a kind and a sentence. */
export function classifyError(err: unknown, target: Target): HttpRequestError {
  if (err instanceof HttpRequestError) return err;
  const chain = causes(err);
  const guard = chain.find((e) => e.code === "ERR_ADDRESS_GUARD");
  if (guard) return new HttpRequestError("address_guard", guard.message);
  for (const [matches, words] of CLIENT_CERTIFICATE_LOADING) {
    if (chain.some(matches)) return new HttpRequestError("credentials", `the connection's client certificate could not be loaded: ${words}`);
  }
  // A failure of the connection to a proxy itself is said of the proxy; its TLS failures are the proxy's kind.
  const proxy = chain.find((e) => e[PROXY_CONNECTION])?.[PROXY_CONNECTION];
  const host = proxy ? `the proxy ${proxy.host}` : target.host;
  const where = proxy ? `the proxy ${proxy.host}:${proxy.port}` : `${target.host}:${target.port}`;
  const tlsKind = proxy ? "proxy" : "tls";
  if (!proxy) {
    // undici's ProxyAgent reports a refused CONNECT, and a 407 to a forwarded request, only in words.
    const refused = chain.map((e) => /^Proxy response \((\d{3})\) !== 200|^Proxy Authentication Required \((\d{3})\)$/.exec(e.message)).find(Boolean);
    if (refused) return proxyRefusal(Number(refused[1] ?? refused[2]), where);
    // Searched along the whole chain first: the dispatcher attaches it below undici's "other side closed".
    const refusal = chain.find((e) => typeof e.code === "string" && CLIENT_CERTIFICATE_PROBLEMS[e.code]);
    if (refusal) return new HttpRequestError("tls", `TLS error with ${where}: ${CLIENT_CERTIFICATE_PROBLEMS[refusal.code as string]}`);
  }
  for (const e of chain) {
    const code = typeof e.code === "string" ? e.code : "";
    if (TLS_PROBLEMS[code]) {
      const detail = code === "ERR_TLS_CERT_ALTNAME_INVALID" && e.reason ? ` (${e.reason})` : "";
      const problem = proxy ? TLS_PROBLEMS[code].replace("the server's", "the proxy's") : TLS_PROBLEMS[code];
      return new HttpRequestError(tlsKind, `TLS error with ${where}: ${problem}${detail}; ${proxy ? PROXY_TLS_HINT : TLS_HINT}`);
    }
    if (PLAIN_HTTP_CODES.has(code) || /wrong version number/i.test(e.message)) {
      if (proxy) return new HttpRequestError("proxy", `${where} did not answer TLS; is it a plain http proxy? Use an http:// proxy URL`);
      return new HttpRequestError("tls", `the server at ${where} did not answer TLS; is it plain http? Use http://${where}`);
    }
    if (/^ERR_(SSL|TLS)_|^ERR_OSSL_/.test(code) || /SSL routines|certificate/i.test(e.message)) {
      return new HttpRequestError(tlsKind, `TLS error with ${where}: ${opensslReason(e.message)}`);
    }
    switch (code) {
      case "ENOTFOUND":
        return new HttpRequestError("dns", `DNS lookup failed: ${host} was not found`);
      case "EAI_AGAIN":
        return new HttpRequestError("dns", `DNS lookup failed temporarily for ${host}; try again`);
      case "ECONNREFUSED":
        return new HttpRequestError("connection_refused", `connection refused by ${where} (nothing is listening there)`);
      case "ECONNRESET":
      case "EPIPE":
      case "UND_ERR_SOCKET":
      case "UND_ERR_CLOSED":
        return new HttpRequestError("connection_reset", `the connection to ${where} was closed before the response was complete`);
      case "UND_ERR_CONNECT_TIMEOUT":
      case "ETIMEDOUT":
        return new HttpRequestError("timeout", `connecting to ${where} timed out`);
      case "EHOSTUNREACH":
      case "ENETUNREACH":
        return new HttpRequestError("network", `${where} is unreachable from this server`);
    }
  }
  const first = chain[0];
  return new HttpRequestError("network", `request to ${where} failed: ${first?.message ?? String(err)}`);
}

/** The proxy answered instead of the target: 407 or 401 (credentials), 403 (its policy), 5xx (it could not reach the target). */
export function proxyRefusal(status: number, where: string): HttpRequestError {
  const why =
    status === 407 || status === 401
      ? `it requires valid proxy credentials (HTTP ${status}); check the proxy's user name and password`
      : status === 403
        ? "its policy forbids this target (403)"
        : `it answered HTTP ${status}`;
  return new HttpRequestError("proxy", `the proxy did not carry the request to ${where}: ${why}`);
}

type ErrorLike = { message: string; code?: unknown; reason?: string; cause?: unknown; [PROXY_CONNECTION]?: ProxyConnectionTag };

function causes(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  let cur: unknown = err;
  while (cur && typeof cur === "object" && out.length < 8) {
    const e = cur as ErrorLike;
    out.push(e);
    // AggregateError (happy-eyeballs connect) keeps the real reasons in .errors.
    const nested = (cur as { errors?: unknown[] }).errors;
    if (Array.isArray(nested) && nested.length) out.push(...causes(nested[0]));
    cur = e.cause;
  }
  return out;
}
