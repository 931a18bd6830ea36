import { BlockList, isIPv4 } from "node:net";

/**
 * Address ranges a user's request may not reach unless an admin allows them, each with the words the error
 * uses. Order matters: the first matching range names the reason, so specific ranges come before wider ones.
 */
type Range = { network: string; prefix: number; reason: string; metadata?: true };

const DOCUMENTATION = "a reserved documentation address";

const IPV4_RANGES: Range[] = [
  { network: "0.0.0.0", prefix: 32, reason: "the unspecified address" },
  { network: "0.0.0.0", prefix: 8, reason: "a reserved 'this network' address (0.0.0.0/8)" },
  { network: "10.0.0.0", prefix: 8, reason: "a private address (10.0.0.0/8)" },
  { network: "100.64.0.0", prefix: 10, reason: "a carrier-grade NAT address (100.64.0.0/10)" },
  { network: "127.0.0.0", prefix: 8, reason: "a loopback address" },
  { network: "169.254.169.254", prefix: 32, reason: "the cloud metadata address", metadata: true },
  { network: "169.254.0.0", prefix: 16, reason: "a link-local address (169.254.0.0/16)" },
  { network: "172.16.0.0", prefix: 12, reason: "a private address (172.16.0.0/12)" },
  { network: "192.0.0.0", prefix: 24, reason: "a reserved IETF protocol address (192.0.0.0/24)" },
  { network: "192.0.2.0", prefix: 24, reason: `${DOCUMENTATION} (192.0.2.0/24)` },
  { network: "192.88.99.0", prefix: 24, reason: "a reserved 6to4 relay address (192.88.99.0/24)" },
  { network: "192.168.0.0", prefix: 16, reason: "a private address (192.168.0.0/16)" },
  { network: "198.18.0.0", prefix: 15, reason: "a reserved benchmarking address (198.18.0.0/15)" },
  { network: "198.51.100.0", prefix: 24, reason: `${DOCUMENTATION} (198.51.100.0/24)` },
  { network: "203.0.113.0", prefix: 24, reason: `${DOCUMENTATION} (203.0.113.0/24)` },
  { network: "224.0.0.0", prefix: 4, reason: "a multicast address" },
  { network: "255.255.255.255", prefix: 32, reason: "the broadcast address" },
  { network: "240.0.0.0", prefix: 4, reason: "a reserved address (240.0.0.0/4)" },
];

const IPV6_RANGES: Range[] = [
  { network: "::", prefix: 128, reason: "the unspecified address" },
  { network: "::1", prefix: 128, reason: "a loopback address" },
  { network: "fd00:ec2::254", prefix: 128, reason: "the cloud metadata address", metadata: true },
  { network: "fe80::", prefix: 10, reason: "a link-local address (fe80::/10)" },
  { network: "fec0::", prefix: 10, reason: "a deprecated site-local address (fec0::/10)" },
  { network: "fc00::", prefix: 7, reason: "a unique-local address (fc00::/7)" },
  { network: "ff00::", prefix: 8, reason: "a multicast address" },
  { network: "64:ff9b:1::", prefix: 48, reason: "a local-use NAT64 address (64:ff9b:1::/48)" },
  { network: "100::", prefix: 64, reason: "a reserved discard-only address (100::/64)" },
  // Teredo hides the real IPv4 endpoint (obfuscated), so it cannot be judged: refuse the tunnel range.
  { network: "2001::", prefix: 32, reason: "a Teredo tunnel address (2001::/32)" },
  { network: "2001:db8::", prefix: 32, reason: `${DOCUMENTATION} (2001:db8::/32)` },
];

/**
 * IPv6 forms that carry an IPv4 address: the connection really goes to that IPv4 host (directly or through a
 * translator), so they are judged by the embedded address. `offset` is the 16-bit group where it starts.
 */
const EMBEDDING: { network: string; prefix: number; form: string; offset: number }[] = [
  { network: "::ffff:0:0", prefix: 96, form: "an IPv4-mapped", offset: 6 },
  { network: "::ffff:0:0:0", prefix: 96, form: "an IPv4-translated", offset: 6 },
  { network: "64:ff9b::", prefix: 96, form: "a NAT64", offset: 6 },
  { network: "::", prefix: 96, form: "an IPv4-compatible", offset: 6 },
  { network: "2002::", prefix: 16, form: "a 6to4", offset: 1 },
];

type CompiledRange = { list: BlockList; reason: string; metadata: boolean };

function compile(ranges: Range[], family: "ipv4" | "ipv6"): CompiledRange[] {
  return ranges.map((r) => {
    const list = new BlockList();
    list.addSubnet(r.network, r.prefix, family);
    return { list, reason: r.reason, metadata: !!r.metadata };
  });
}

const V4 = compile(IPV4_RANGES, "ipv4");
const V6 = compile(IPV6_RANGES, "ipv6");
const EMBEDDED = EMBEDDING.map((e) => {
  const list = new BlockList();
  list.addSubnet(e.network, e.prefix, "ipv6");
  return { list, form: e.form, offset: e.offset };
});

export type RangeMatch = { reason: string; metadata: boolean /** Set for IPv6 forms judged by their IPv4. */; embeddedIpv4?: string };

/** The refused range an IPv4 address falls in, if any. */
export function matchIpv4(ip: string): RangeMatch | undefined {
  return V4.find((r) => r.list.check(ip, "ipv4"));
}

/** The refused range an IPv6 address falls in, judging embedded IPv4 forms by their IPv4 address. */
export function matchIpv6(ip: string): RangeMatch | undefined {
  const own = V6.slice(0, 2).find((r) => r.list.check(ip, "ipv6")); // :: and ::1 sit inside ::/96
  if (own) return own;
  const embedding = EMBEDDED.find((e) => e.list.check(ip, "ipv6"));
  if (embedding) {
    const v4 = embeddedIpv4(ip, embedding.offset);
    const inner = matchIpv4(v4);
    if (!inner) return undefined;
    return { reason: `${embedding.form} form of ${v4}, ${inner.reason}`, metadata: inner.metadata, embeddedIpv4: v4 };
  }
  return V6.find((r) => r.list.check(ip, "ipv6"));
}

/** The IPv4 address stored in two 16-bit groups of an IPv6 address starting at group `offset`. */
export function embeddedIpv4(ipv6: string, offset: number): string {
  const groups = expandIpv6(ipv6);
  const hi = groups[offset];
  const lo = groups[offset + 1];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
}

/** Eight 16-bit groups of an IPv6 address (accepts a dotted IPv4 tail such as ::ffff:1.2.3.4). */
function expandIpv6(ip: string): number[] {
  let text = ip.toLowerCase();
  const tail = text.slice(text.lastIndexOf(":") + 1);
  if (isIPv4(tail)) {
    const [a, b, c, d] = tail.split(".").map(Number);
    text = `${text.slice(0, text.length - tail.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const zeros = rest === undefined ? [] : new Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}
