/** The optional on-premises server of API key and Basic connections: relative request URLs go to it. */

/** The on-premises base URL: https:// unless the host says http://. */
export function onPremBaseUrl(host: string | undefined, port: string | undefined): string | undefined {
  // {{vars.NAME}} is filled in when the connection is used (connection-variables.ts), not here.
  if (!host || host.includes("{{")) return undefined;
  const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  const url = new URL(withScheme);
  if (port) url.port = port;
  return url.origin;
}

/**
 * What is wrong with a typed Host, in words naming the field, or undefined when it is fine. A Host is a server
 * name with an optional http:// or https:// in front (none means https://); its port and paths go elsewhere.
 */
export function onPremHostIssue(host: string): string | undefined {
  if (host === "") return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(host)?.[1];
  if (scheme && !/^https?$/i.test(scheme))
    return `Host: ${scheme}:// is not supported; write https://${host.slice(scheme.length + 3)} or http://… (no scheme means https://).`;
  const name = scheme ? host.slice(scheme.length + 3) : host;
  if (name.includes("/")) return "Host: enter the server's name only, such as jira.internal; the path goes in the request URL.";
  if (/^[a-z0-9_.-]+:\d*$/i.test(name)) return "Host: put the port in the Port field.";
  if (!/^[a-z0-9_.-]+$/i.test(name)) return "Host: enter a server name such as jira.internal, or http://jira.internal for a plain-http server.";
  return undefined;
}

export const ON_PREM_HOST = {
  label: "Host",
  hint: "Optional, for on-premises servers: relative request URLs (and a relative Test URL) go here. Without a scheme https:// is used; for a plain-http server write http://jira.internal. {{vars.NAME}} is filled in when it is used.",
  placeholder: "jira.internal or http://jira.internal",
} as const;
export const ON_PREM_PORT = { label: "Port", placeholder: "443" } as const;
