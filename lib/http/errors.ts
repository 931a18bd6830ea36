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

type Target = { host: string; port: string };

/** Turns whatever undici, net, tls or dns threw into a kind and a sentence. */
export function classifyError(err: unknown, target: Target): HttpRequestError {
  if (err instanceof HttpRequestError) return err;
  const chain = causes(err);
  const guard = chain.find((e) => e.code === "ERR_ADDRESS_GUARD");
  if (guard) return new HttpRequestError("address_guard", guard.message);
  const where = `${target.host}:${target.port}`;
  for (const e of chain) {
    const code = typeof e.code === "string" ? e.code : "";
    if (TLS_PROBLEMS[code]) {
      const detail = code === "ERR_TLS_CERT_ALTNAME_INVALID" && e.reason ? ` (${e.reason})` : "";
      return new HttpRequestError("tls", `TLS error with ${where}: ${TLS_PROBLEMS[code]}${detail}; ${TLS_HINT}`);
    }
    if (/^ERR_(SSL|TLS)_|^ERR_OSSL_/.test(code) || /SSL routines|certificate/i.test(e.message)) {
      return new HttpRequestError("tls", `TLS error with ${where}: ${e.message}`);
    }
    switch (code) {
      case "ENOTFOUND":
        return new HttpRequestError("dns", `DNS lookup failed: ${target.host} was not found`);
      case "EAI_AGAIN":
        return new HttpRequestError("dns", `DNS lookup failed temporarily for ${target.host}; try again`);
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

type ErrorLike = { message: string; code?: unknown; reason?: string; cause?: unknown };

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
