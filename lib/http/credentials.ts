import "server-only";
import { HttpRequestError } from "./errors";
import type { ApplyOptions, CredentialProvider, OutgoingRequest } from "./types";

/** What a provider's apply() changed, so it can be copied to a same-origin hop or removed before leaving. */
export interface AppliedCredentials {
  headers: [string, string][];
  query: [string, string][];
}

export const NO_CREDENTIALS: AppliedCredentials = { headers: [], query: [] };

// Dropped on every cross-origin hop even when the user typed them, as browsers do.
const ALWAYS_STRIPPED = ["authorization", "proxy-authorization", "cookie"];

export async function applyCredentials(provider: CredentialProvider, req: OutgoingRequest, opts: ApplyOptions): Promise<AppliedCredentials> {
  const { url, headers } = req;
  const headersBefore = new Map(headers.entries());
  const queryBefore = countPairs(url.searchParams);
  try {
    await provider.apply(req, opts);
  } catch (err) {
    // A failed token refresh is the connection's problem, not the target's: say so.
    const what = opts.forceRefresh ? "refreshed" : "applied";
    throw new HttpRequestError("credentials", `the connection's credentials could not be ${what}: ${(err as Error)?.message ?? String(err)}`);
  }
  const addedHeaders = [...headers.entries()].filter(([k, v]) => headersBefore.get(k) !== v);
  const addedQuery: [string, string][] = [];
  for (const [k, v] of url.searchParams) {
    const key = `${k}=${v}`;
    const left = queryBefore.get(key) ?? 0;
    if (left > 0) queryBefore.set(key, left - 1);
    else addedQuery.push([k, v]);
  }
  return { headers: addedHeaders, query: addedQuery };
}

/** Carries the credentials to the next hop on the same origin (its Location may lack the query ones). */
export function copyCredentials(applied: AppliedCredentials, url: URL, headers: Headers): void {
  for (const [k, v] of applied.headers) headers.set(k, v);
  for (const [k, v] of applied.query) if (!url.searchParams.has(k, v)) url.searchParams.append(k, v);
}

/** Removes credentials before a hop to another origin, including any the server echoed into the Location. */
export function stripCredentials(applied: AppliedCredentials, url: URL, headers: Headers): void {
  for (const name of ALWAYS_STRIPPED) headers.delete(name);
  for (const [k] of applied.headers) headers.delete(k);
  for (const [k, v] of applied.query) if (url.searchParams.has(k, v)) url.searchParams.delete(k, v);
}

/**
 * Whether a URL's host is one of the connection's allowed hosts: "api.example.com", "*.example.com"
 * (sub-domains only) or either with ":port".
 */
export function isHostAllowed(url: URL, patterns: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return patterns.some((pattern) => {
    const m = /^(.*?)(?::(\d+))?$/.exec(pattern.trim().toLowerCase());
    if (!m?.[1]) return false;
    const [, name, wantPort] = m;
    if (wantPort && wantPort !== port) return false;
    const bare = name.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
    const hostBare = host.replace(/^\[(.*)\]$/, "$1");
    return bare.startsWith("*.") ? hostBare.endsWith(bare.slice(1)) : hostBare === bare;
  });
}

function countPairs(params: URLSearchParams): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [k, v] of params) counts.set(`${k}=${v}`, (counts.get(`${k}=${v}`) ?? 0) + 1);
  return counts;
}
