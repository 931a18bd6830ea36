import "server-only";
import { randomBytes } from "node:crypto";
import { MASK } from "@/lib/http/mask";
import type { ConfigOf, ConnectionTypeServer } from "../descriptor";
import { onPremBaseUrl } from "../on-prem";
import { digestAuthorization } from "./authorization";
import { type DigestChallenge, parseChallenges, pickDigestChallenge } from "./challenge";
import type { digestForm } from "./form";

type Config = ConfigOf<typeof digestForm>;

/** The last challenge an origin sent this connection and how many requests its nonce has answered. */
class DigestNonce {
  count = 0;
  constructor(readonly challenge: DigestChallenge) {}
}

const MAX_NONCE_COUNT = 0xffffffff; // nc is 8 hex digits

/**
 * Digest (RFC 7616). The first request to an origin goes without credentials; its 401 challenge comes back
 * as opts.challenge on the executor's one resend. The challenge is kept in the connection's session and its
 * nonce reused with a growing nc, so later requests need no extra round trip until the server marks the
 * nonce stale.
 */
export const digestServer: ConnectionTypeServer<Config> = {
  urls: (c) => [onPremBaseUrl(c.host, c.port)].filter((u): u is string => !!u),
  baseUrl: (c) => onPremBaseUrl(c.host, c.port),
  // The response hash covers the method and URI: each redirect hop gets its own.
  signsEachHop: true,
  async apply({ method, url, headers, body }, { config, secrets, session, forceRefresh, challenge }) {
    const key = `digest ${url.origin}`;
    const cached = session.get(key);
    let nonce = cached instanceof DigestNonce ? cached : undefined;
    if (forceRefresh) {
      const picked = challenge
        ? pickDigestChallenge(await parseChallenges(challenge))
        : { problem: "the server refused the request without a WWW-Authenticate challenge" };
      if ("problem" in picked) {
        session.delete(key);
        throw new Error(picked.problem);
      }
      const refused = nonce;
      nonce = new DigestNonce(picked.challenge);
      session.set(key, nonce);
      // RFC 7616 §3.3: a refusal of a nonce not marked stale means the username or password is wrong;
      // resending would only add a failed sign-in (and bring an account lockout closer).
      if (refused && !picked.challenge.stale && refused.challenge.realm === picked.challenge.realm) {
        throw new Error(`the server refused the username or password for realm "${picked.challenge.realm}" (HTTP Digest)`);
      }
    }
    if (!nonce) return;
    if (nonce.count >= MAX_NONCE_COUNT) {
      session.delete(key); // a fresh challenge from the server's 401
      return;
    }
    nonce.count += 1;
    headers.set(
      "authorization",
      digestAuthorization({
        challenge: nonce.challenge,
        username: config.username,
        password: secrets.password ?? "",
        method,
        uri: `${url.pathname}${url.search}`,
        nc: nonce.count,
        cnonce: randomBytes(16).toString("hex"),
        body,
      }),
    );
  },
  curl: (c) => ({ kind: "options", options: ["--digest", "--user", `${c.username}:${MASK}`] }),
  summary: (c) => [{ label: "User", value: c.username }, ...(c.host ? [{ label: "Host", value: onPremBaseUrl(c.host, c.port) ?? c.host }] : [])],
};
