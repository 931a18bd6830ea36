import { BlockList, isIP } from "node:net";
import { matchIpv4, matchIpv6 } from "./ip-ranges";
import { BoundedMap } from "@/lib/memory/bounded-map";

/**
 * SSRF guard: decides whether a user's request may reach an address. The executor calls it from the socket
 * connector (after DNS, on the addresses actually dialled, on every hop); these functions hold the policy.
 */

const ALLOW_HINT = "PLUGBOARD_ALLOWED_HOSTS";

// Metadata services answer on names as well as addresses; refusing the names gives a clearer error.
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"]);

/** Targets an admin allowed (PLUGBOARD_ALLOWED_HOSTS): host names, *.wildcards, IP addresses and CIDRs. */
export interface AllowList {
  readonly entries: readonly string[];
  /** Exact host names, lower case, no trailing dot. */
  readonly names: ReadonlySet<string>;
  /** From `*.corp.example`: ".corp.example" (matches sub-domains, not the bare domain). */
  readonly suffixes: readonly string[];
  readonly addresses: BlockList;
  /** Addresses listed one by one (or as /32, /128): only these can open a cloud metadata address. */
  readonly exactAddresses: ReadonlySet<string>;
}

export class AddressGuardError extends Error {
  readonly code = "ERR_ADDRESS_GUARD";
  constructor(message: string) {
    super(message);
    this.name = "AddressGuardError";
  }
}

/**
 * Parses a comma- or space-separated allow-list such as "localhost,127.0.0.1/32,10.0.0.0/8,*.corp.example".
 * Throws with every bad entry named, so a typo in the environment fails loudly at startup.
 */
export function parseAllowedHosts(value: string | readonly string[] | undefined): AllowList {
  if (typeof value !== "string") return parseAllowList([...(value ?? [])]);
  // Callers parse the configured list on every request: the same text gives the same (read-only) list,
  // which also lets the dispatcher cache find its agent without rebuilding the list's key.
  let parsed = parsedLists.get(value);
  if (!parsed) {
    parsed = parseAllowList(value.split(/[\s,]+/));
    parsedLists.set(value, parsed);
  }
  return parsed;
}

const MAX_PARSED_LISTS = 16;
const parsedLists = new BoundedMap<string, AllowList>(MAX_PARSED_LISTS);

function parseAllowList(raw: string[]): AllowList {
  const entries = raw.map((e) => e.trim()).filter(Boolean);
  const names = new Set<string>();
  const suffixes: string[] = [];
  const addresses = new BlockList();
  const exactAddresses = new Set<string>();
  const bad: string[] = [];
  for (const entry of entries) {
    const [addrPart, prefixPart, extra] = entry.split("/");
    const addr = normalizeIp(addrPart.replace(/^\[(.*)\]$/, "$1"));
    if (addr) {
      const family = isIP(addr) === 4 ? "ipv4" : "ipv6";
      const max = family === "ipv4" ? 32 : 128;
      const prefix = prefixPart === undefined ? max : /^\d{1,3}$/.test(prefixPart) ? Number(prefixPart) : NaN;
      if (extra !== undefined || !(prefix >= 0 && prefix <= max)) {
        bad.push(`"${entry}" has an invalid prefix length (0–${max})`);
        continue;
      }
      addresses.addSubnet(addr, prefix, family);
      if (prefix === max) exactAddresses.add(addr);
    } else if (/^(\*\.)?([a-z0-9_-]+\.)*[a-z0-9_-]+\.?$/i.test(entry)) {
      const host = normalizeName(entry);
      if (host.startsWith("*.")) suffixes.push(host.slice(1));
      else names.add(host);
    } else {
      bad.push(`"${entry}" is not a host name, *.wildcard, IP address or CIDR`);
    }
  }
  if (bad.length) throw new Error(`${ALLOW_HINT}: ${bad.join("; ")}`);
  return Object.freeze({ entries: Object.freeze(entries), names, suffixes: Object.freeze(suffixes), addresses, exactAddresses });
}

export const EMPTY_ALLOW_LIST: AllowList = parseAllowedHosts("");

export type GuardRefusal = { allowed: false; reason: string; message: string; metadata?: boolean };
export type GuardVerdict = { allowed: true } | GuardRefusal;

/** Whether a connection to this IP address may be made. */
export function checkAddress(ip: string, allow: AllowList = EMPTY_ALLOW_LIST): GuardVerdict {
  const addr = normalizeIp(ip);
  if (!addr) return refuse(ip, "not an IP address", "");
  const family = isIP(addr);
  const match = family === 4 ? matchIpv4(addr) : matchIpv6(addr);
  if (!match) return { allowed: true };
  const embedded = match.embeddedIpv4;
  if (match.metadata) {
    if (allow.exactAddresses.has(addr) || (embedded && allow.exactAddresses.has(embedded))) return { allowed: true };
    return { ...refuse(addr, match.reason, " (metadata addresses must be listed exactly)"), metadata: true };
  }
  const listed = (a: string) => allow.addresses.check(a, isIP(a) === 4 ? "ipv4" : "ipv6");
  if (listed(addr) || (embedded && listed(embedded))) return { allowed: true };
  return refuse(addr, match.reason, "");
}

/**
 * Judges a host before DNS: IP literals (in any notation the URL parser accepts, e.g. 2130706433, 0x7f.1,
 * 0177.0.0.1, 127.1) are judged now; names are refused if they are metadata services, waved through if the
 * admin listed them (their addresses are then trusted), and otherwise must be judged after resolution.
 */
export function checkHost(host: string, allow: AllowList = EMPTY_ALLOW_LIST): GuardVerdict | "resolve" {
  const ip = hostToIp(host);
  if (ip) return checkAddress(ip, allow);
  const name = normalizeName(host);
  if (METADATA_NAMES.has(name)) {
    return allow.names.has(name) ? { allowed: true } : refuse(name, "a cloud metadata host name", " (metadata hosts must be listed exactly)");
  }
  return isNameAllowed(name, allow) ? { allowed: true } : "resolve";
}

/** Judges a host name together with the addresses it resolved to: every address must pass. */
export function checkResolved(host: string, addresses: readonly string[], allow: AllowList = EMPTY_ALLOW_LIST): GuardVerdict {
  const name = normalizeName(host);
  const nameAllowed = isNameAllowed(name, allow);
  for (const address of addresses) {
    const verdict = checkAddress(address, allow);
    if (verdict.allowed) continue;
    // A listed name trusts its addresses, except metadata ones, which must be listed exactly.
    if (nameAllowed && !verdict.metadata) continue;
    const how = `${name} resolves to ${normalizeIp(address) ?? address}, ${verdict.reason}`;
    return { ...verdict, message: `refused by the address guard: ${how}; add ${name} or that address to ${ALLOW_HINT} to allow it` };
  }
  return { allowed: true };
}

/** The IP a URL host stands for, if it is an IP literal in any notation; undefined for names. */
export function hostToIp(host: string): string | undefined {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare)) return normalizeIp(bare);
  // The WHATWG URL parser turns odd IPv4 notations into dotted quads, exactly as the request will.
  try {
    return normalizeIp(new URL(`http://${bare}/`).hostname);
  } catch {
    return undefined;
  }
}

function isNameAllowed(name: string, allow: AllowList): boolean {
  return allow.names.has(name) || allow.suffixes.some((s) => name.endsWith(s));
}

/** Canonical text of an IP address (IPv6 compressed, lower case), or undefined if it is not one. */
function normalizeIp(text: string): string | undefined {
  if (!isIP(text)) return undefined;
  if (isIP(text) === 4) return text;
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

function normalizeName(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

function refuse(target: string, reason: string, note: string): GuardRefusal {
  return {
    allowed: false,
    reason,
    message: `refused by the address guard: ${target} is ${reason}${note}; add it to ${ALLOW_HINT} to allow it`,
  };
}
