import { BlockList, isIP } from "node:net";

/**
 * NO_PROXY as curl reads it (CURLOPT_NOPROXY, curl ≥ 7.86): a comma- or space-separated list where
 *  - `*` alone turns the proxy off for every host;
 *  - a name matches that host and every sub-domain (`example.com` and `.example.com` both match
 *    example.com and api.example.com, never notexample.com); `*.example.com` is read the same way (curl
 *    strips neither, undici's EnvHttpProxyAgent and most tools strip a leading `*.`, so we accept it);
 *  - an IP address or CIDR (`10.0.0.0/8`, `::1`, `[::1]`) matches a URL whose host is that IP literal (curl
 *    compares literals, it does not resolve names for NO_PROXY, and neither do we);
 *  - `host:port` matches that host on that port only (the URL's default port counts), as undici and
 *    proxy-from-env read it.
 * proxy-from-env (the common npm choice) matches a bare name only exactly and has no CIDRs, and undici's
 * matcher is private and has no CIDRs either, hence this small parser.
 */
export interface NoProxyList {
  readonly all: boolean;
  readonly entries: readonly { host: string; port: number }[];
  readonly addresses: BlockList;
  readonly addressPorts: readonly { block: BlockList; port: number }[];
  readonly text: string;
}

export function parseNoProxy(text: string): NoProxyList {
  const entries: { host: string; port: number }[] = [];
  const addresses = new BlockList();
  const addressPorts: { block: BlockList; port: number }[] = [];
  const bad: string[] = [];
  let all = false;
  for (const raw of text.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") {
      all = true;
      continue;
    }
    // [v6]:port, v4:port or name:port; a bare IPv6 address has several colons and no port.
    const withPort = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? (entry.split(":").length === 2 ? /^([^:]+):(\d+)$/.exec(entry) : null);
    const host = withPort ? withPort[1] : entry;
    const port = withPort?.[2] ? Number(withPort[2]) : 0;
    const [addr, prefix] = host.split("/");
    const family = isIP(addr);
    if (family) {
      const max = family === 4 ? 32 : 128;
      const bits = prefix === undefined ? max : Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > max) {
        bad.push(entry);
        continue;
      }
      const block = port ? new BlockList() : addresses;
      block.addSubnet(addr, bits, family === 4 ? "ipv4" : "ipv6");
      if (port) addressPorts.push({ block, port });
    } else if (/^(\*?\.)?([a-z0-9_-]+\.)*[a-z0-9_-]+\.?$/.test(host)) {
      entries.push({ host: host.replace(/^\*?\./, "").replace(/\.$/, ""), port });
    } else bad.push(entry);
  }
  if (bad.length) throw new Error(`NO_PROXY: ${bad.map((b) => `"${b}"`).join(", ")} is not a host name, .domain, IP address, CIDR or host:port`);
  return { all, entries, addresses, addressPorts, text };
}

/** Whether NO_PROXY says to reach this URL directly. */
export function bypassesProxy(url: URL, list: NoProxyList): boolean {
  if (list.all) return true;
  const host = url.hostname
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase()
    .replace(/\.$/, "");
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const family = isIP(host);
  if (family) {
    const type = family === 4 ? "ipv4" : "ipv6";
    return list.addresses.check(host, type) || list.addressPorts.some((e) => e.port === port && e.block.check(host, type));
  }
  return list.entries.some((e) => (!e.port || e.port === port) && (host === e.host || host.endsWith(`.${e.host}`)));
}
