/** The optional on-premises server of API key and Basic connections: relative request URLs go to it. */

/** The on-premises base URL: https:// unless the host says http://. */
export function onPremBaseUrl(host: string | undefined, port: string | undefined): string | undefined {
  if (!host) return undefined;
  const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  const url = new URL(withScheme);
  if (port) url.port = port;
  return url.origin;
}

export const ON_PREM_HOST = {
  label: "Host",
  hint: "Optional, for on-premises servers: relative request URLs go here.",
  placeholder: "jira.internal",
} as const;
export const ON_PREM_PORT = { label: "Port", placeholder: "443" } as const;
