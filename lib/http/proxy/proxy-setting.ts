import { z } from "zod";
import { LIMITS, line } from "@/lib/validation/fields";

/**
 * The Proxy choice of a connection, a request and a flow step: one schema for the forms, the server actions
 * and the REST API (client-safe: no Node imports). "default" is the instance's proxy (HTTPS_PROXY /
 * HTTP_PROXY / NO_PROXY) for a connection, and the connection's choice (else the instance's) for a request.
 * A proxy's password is a secret: a connection keeps it in its encrypted envelope, never in this object
 * as stored in plain columns.
 */
export const PROXY_MODES = ["default", "none", "custom"] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export const proxyUrlSchema = line(LIMITS.url)
  .trim()
  .min(1, "Enter the proxy's URL, like http://proxy.corp.example:3128")
  .refine(
    (u) => /^https?:\/\/[^/?#]+\/?$/i.test(u) && URL.canParse(u),
    "Enter an http:// or https:// proxy URL with a host and an optional port, nothing else",
  )
  .refine(
    (u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password),
    "Put the proxy's user name and password in their own fields, not in the URL",
  );

const defaultMode = z.object({ mode: z.literal("default") });
const noProxy = z.object({ mode: z.literal("none") });
const MODE_MESSAGE = "Choose the default proxy, no proxy or a proxy URL";

/** A connection's choice: a custom proxy may log in with Basic credentials (the password is kept encrypted). */
export const connectionProxySchema = z.discriminatedUnion(
  "mode",
  [
    defaultMode,
    noProxy,
    z.object({
      mode: z.literal("custom"),
      url: proxyUrlSchema,
      username: line(LIMITS.short).trim().optional(),
      /** Write-only: empty keeps the stored one (the form never shows it back). */
      password: line(LIMITS.secret).optional(),
    }),
  ],
  MODE_MESSAGE,
);

/**
 * A request's or flow step's choice. Requests and steps are stored in plain (history, flow definitions), so a
 * custom proxy here has no credentials: a proxy that needs a password is set on a connection.
 */
export const requestProxySchema = z.discriminatedUnion(
  "mode",
  [defaultMode, noProxy, z.object({ mode: z.literal("custom"), url: proxyUrlSchema })],
  MODE_MESSAGE,
);

export type ConnectionProxySetting = z.infer<typeof connectionProxySchema>;
export type RequestProxySetting = z.infer<typeof requestProxySchema>;

export const DEFAULT_PROXY = { mode: "default" } as const;
