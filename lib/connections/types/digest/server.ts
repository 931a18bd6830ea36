import "server-only";
import { randomBytes } from "node:crypto";
import { MASK } from "@/lib/http/mask";
import type { ConfigOf, ConnectionTypeServer } from "../descriptor";
import { onPremBaseUrl } from "../on-prem";
import { digestAuthorization } from "./authorization";
import { type DigestChallenge, parseChallenges, pickDigestChallenge } from "./challenge";
import type { digestForm } from "./form";

type Config = ConfigOf<typeof digestForm>;

/**
 * What this connection knows of one origin: its last challenge, how many requests its nonce has answered,
 * and how many requests went out without credentials (first contact) whose 401 may still come back.
 */
class DigestOrigin {
  challenge?: DigestChallenge;
  count = 0;
  uncredentialed = 0;
}

const MAX_NONCE_COUNT = 0xffffffff; // nc is 8 hex digits

function originState(session: Map<string, unknown>, origin: string): DigestOrigin {
  const key = `digest ${origin}`;
  const known = session.get(key);
  if (known instanceof DigestOrigin) return known;
  const fresh = new DigestOrigin();
  session.set(key, fresh);
  return fresh;
}

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
    const state = originState(session, url.origin);
    if (forceRefresh) {
      const picked = challenge
        ? pickDigestChallenge(await parseChallenges(challenge))
        : { problem: "the server refused the request without a WWW-Authenticate challenge" };
      // A first contact's 401 is the expected challenge. Which refused request this is cannot be told, so
      // while first contacts are outstanding any refusal counts as one (at worst one needless resend).
      const firstContact = state.uncredentialed > 0;
      if (firstContact) state.uncredentialed--;
      if ("problem" in picked) {
        state.challenge = undefined;
        throw new Error(picked.problem);
      }
      const refused = state.challenge;
      state.challenge = picked.challenge;
      state.count = 0;
      // RFC 7616 §3.3: a refusal of a known nonce not marked stale means the username or password is wrong;
      // resending would only add a failed sign-in (and bring an account lockout closer).
      if (!firstContact && refused && !picked.challenge.stale && refused.realm === picked.challenge.realm) {
        throw new Error(`the server refused the username or password for realm "${picked.challenge.realm}" (HTTP Digest)`);
      }
    }
    if (!state.challenge || state.count >= MAX_NONCE_COUNT) {
      state.challenge = undefined; // the server's 401 brings a (fresh) challenge
      state.uncredentialed++;
      return;
    }
    state.count += 1;
    headers.set(
      "authorization",
      digestAuthorization({
        challenge: state.challenge,
        username: config.username,
        password: secrets.password ?? "",
        method,
        uri: `${url.pathname}${url.search}`,
        nc: state.count,
        cnonce: randomBytes(16).toString("hex"),
        body,
      }),
    );
  },
  curl: (c) => ({ kind: "options", options: ["--digest", "--user", `${c.username}:${MASK}`] }),
  summary: (c) => [{ label: "User", value: c.username }, ...(c.host ? [{ label: "Host", value: onPremBaseUrl(c.host, c.port) ?? c.host }] : [])],
};
