import "server-only";
import { createHash } from "node:crypto";
import type { DigestChallenge } from "./challenge";

/** The Authorization value answering a Digest challenge (RFC 7616 §3.4), hashed with node:crypto. */

export interface DigestAnswer {
  challenge: DigestChallenge;
  username: string;
  password: string;
  method: string;
  /** The request-target as sent: path and query. */
  uri: string;
  /** How many requests this nonce has answered, this one included (1 for the first). */
  nc: number;
  cnonce: string;
  /** The bytes sent, hashed for qop=auth-int. */
  body?: Uint8Array;
}

export function digestAuthorization(a: DigestAnswer): string {
  const { challenge: c } = a;
  const h = (data: string | Uint8Array) => createHash(c.hash).update(data).digest("hex");
  const nc = a.nc.toString(16).padStart(8, "0");
  let ha1 = h(`${a.username}:${c.realm}:${a.password}`);
  if (c.session) ha1 = h(`${ha1}:${c.nonce}:${a.cnonce}`);
  const ha2 = c.qop === "auth-int" ? h(`${a.method}:${a.uri}:${h(a.body ?? new Uint8Array())}`) : h(`${a.method}:${a.uri}`);
  const response = c.qop ? h(`${ha1}:${c.nonce}:${nc}:${a.cnonce}:${c.qop}:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);

  const params = [
    usernameParam(a.username, c, h),
    `realm=${quote(c.realm)}`,
    `uri=${quote(a.uri)}`,
    ...(c.algorithm ? [`algorithm=${c.algorithm}`] : []),
    `nonce=${quote(c.nonce)}`,
    ...(c.qop ? [`nc=${nc}`, `cnonce=${quote(a.cnonce)}`, `qop=${c.qop}`] : []),
    `response=${quote(response)}`,
    ...(c.opaque !== undefined ? [`opaque=${quote(c.opaque)}`] : []),
    ...(c.userhash ? ["userhash=true"] : []),
  ];
  return `Digest ${params.join(", ")}`;
}

function usernameParam(username: string, c: DigestChallenge, h: (data: string) => string): string {
  if (c.userhash) return `username=${quote(h(`${username}:${c.realm}`))}`;
  // Outside printable ASCII the name goes as an RFC 8187 ext-value (RFC 7616 §3.4.4).
  if (/[^\x20-\x7e]/.test(username)) return `username*=UTF-8''${encodeURIComponent(username).replace(/['()*]/g, percentEncode)}`;
  return `username=${quote(username)}`;
}

const percentEncode = (ch: string) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`;

/** An RFC 9110 quoted-string. */
const quote = (value: string) => `"${value.replace(/["\\]/g, "\\$&")}"`;
