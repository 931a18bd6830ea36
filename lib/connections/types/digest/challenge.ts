import { processUserInfoResponse, skipSubjectCheck, type WWWAuthenticateChallenge, WWWAuthenticateChallengeError } from "oauth4webapi";

/**
 * Reads the Digest challenge out of a WWW-Authenticate value (RFC 7616 §3.3). The RFC 9110 §11.6.1 parsing
 * (several challenges in one value, quoted strings with escapes, case-insensitive names) is oauth4webapi's:
 * none of the npm Digest helpers parses a list of challenges correctly.
 */

export type DigestHash = "md5" | "sha256" | "sha512-256";

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  /** The algorithm token as the server wrote it (echoed back), absent for the MD5 default. */
  algorithm?: string;
  hash: DigestHash;
  /** The -sess variant: HA1 also covers the nonce and cnonce. */
  session: boolean;
  /** undefined: the RFC 2069 form without qop (no nc, no cnonce). */
  qop?: "auth" | "auth-int";
  /** The refused request's nonce was only out of date: the password was right. */
  stale: boolean;
  /** The username is sent hashed with the realm (RFC 7616 §3.4.4). */
  userhash: boolean;
}

const HASHES: Record<string, DigestHash> = { MD5: "md5", "SHA-256": "sha256", "SHA-512-256": "sha512-256" };
export const SUPPORTED_ALGORITHMS = Object.keys(HASHES).flatMap((a) => [a, `${a}-sess`]);

// oauth4webapi exposes its challenge parser through the processors of protected responses: a 401 carrying
// WWW-Authenticate is rejected with WWWAuthenticateChallengeError holding the parsed challenges.
const PARSE_ONLY_SERVER = { issuer: "urn:plugboard:digest" };
const PARSE_ONLY_CLIENT = { client_id: "plugboard" };

/** Every challenge in a WWW-Authenticate value (several header lines combined with commas); [] when unreadable. */
export async function parseChallenges(header: string): Promise<WWWAuthenticateChallenge[]> {
  let response: Response;
  try {
    response = new Response(null, { status: 401, headers: { "www-authenticate": header } });
  } catch {
    return []; // not a valid header value
  }
  try {
    await processUserInfoResponse(PARSE_ONLY_SERVER, PARSE_ONLY_CLIENT, skipSubjectCheck, response);
  } catch (err) {
    if (err instanceof WWWAuthenticateChallengeError) return err.cause;
  }
  return [];
}

/**
 * The first Digest challenge Plugboard can answer (RFC 7616 §3.7: servers list their preferred algorithm
 * first), or why none: said in words for the connection's error message.
 */
export function pickDigestChallenge(challenges: WWWAuthenticateChallenge[]): { challenge: DigestChallenge } | { problem: string } {
  const digest = challenges.filter((c) => c.scheme === "digest");
  if (digest.length === 0) {
    const offered = challenges.map((c) => c.scheme).join(", ");
    return { problem: `the server did not offer Digest authentication (its challenge: ${offered || "none"})` };
  }
  const problems: string[] = [];
  for (const c of digest) {
    const p = c.parameters;
    const algorithm = p.algorithm?.toUpperCase() ?? "MD5";
    const session = algorithm.endsWith("-SESS");
    const hash = HASHES[session ? algorithm.slice(0, -"-SESS".length) : algorithm];
    const offeredQop = p.qop?.split(",").map((q) => q.trim().toLowerCase()) ?? [];
    // "auth" when offered: auth-int hashes the body and is used only when the server asks for it alone.
    const qop = offeredQop.includes("auth") ? "auth" : offeredQop.includes("auth-int") ? "auth-int" : undefined;
    if (!p.nonce) problems.push("a Digest challenge without a nonce");
    else if (!hash) problems.push(`the ${p.algorithm} algorithm`);
    else if (p.qop !== undefined && !qop) problems.push(`the quality of protection "${p.qop}"`);
    else
      return {
        challenge: {
          realm: p.realm ?? "",
          nonce: p.nonce,
          opaque: p.opaque,
          algorithm: p.algorithm,
          hash,
          session,
          qop,
          stale: p.stale?.toLowerCase() === "true",
          userhash: p.userhash?.toLowerCase() === "true",
        },
      };
  }
  return {
    problem: `the server's Digest challenge asks for ${problems.join(" and ")}, which Plugboard does not support (algorithms: ${SUPPORTED_ALGORITHMS.join(", ")}; qop: auth, auth-int)`,
  };
}
