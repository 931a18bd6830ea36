import { MASK } from "./mask";

/**
 * A URL as Plugboard shows and stores it (final URL, redirect hops, debug request): without userinfo
 * (`https://user:pass@host/`) and with the value of every query or fragment parameter that carries a
 * credential replaced by the mask, whatever the value is. Masking known secrets is not enough here: a
 * redirect's Location can carry credentials Plugboard never saw. Other parameters keep their bytes.
 */

/** Names that carry a credential whichever API uses them (RFC 6750 §2.3, RFC 6749 §2.3.1, §6). */
const STANDARD_CREDENTIAL_PARAMS = ["access_token", "refresh_token", "client_secret"];

const STANDARD_NAMES: ReadonlySet<string> = new Set(STANDARD_CREDENTIAL_PARAMS);

export function urlWithoutCredentials(input: URL | string, credentialParams: readonly string[] = []): string {
  // Most URLs have no userinfo and no parameters: nothing to take out, and no copy to make.
  if (input instanceof URL && !input.username && !input.password && !input.search.includes("=") && !input.hash.includes("=")) return input.href;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return String(input);
  }
  url.username = "";
  url.password = "";
  const names = credentialParams.length ? new Set([...STANDARD_CREDENTIAL_PARAMS, ...credentialParams].map((n) => n.toLowerCase())) : STANDARD_NAMES;
  const { search, hash } = url;
  const base = url.href.slice(0, url.href.length - search.length - hash.length);
  return base + redactParams(search, "?", names) + redactParams(hash, "#", names);
}

/** `?a=1&access_token=x` -> `?a=1&access_token=••••••`; names are compared decoded and case-insensitively. */
function redactParams(part: string, lead: "?" | "#", names: ReadonlySet<string>): string {
  if (!part.startsWith(lead) || !part.includes("=")) return part;
  const pairs = part
    .slice(1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const rawName = pair.slice(0, eq);
      const name = [...new URLSearchParams(`${rawName}=`).keys()][0] ?? rawName;
      return names.has(name.toLowerCase()) ? `${rawName}=${MASK}` : pair;
    });
  return lead + pairs.join("&");
}
