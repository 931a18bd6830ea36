import { z } from "zod";
import { PROXY_MODES, proxyUrlSchema } from "@/lib/http/proxy/proxy-setting";
import { LIMITS, line } from "@/lib/validation/fields";
import type { FormField } from "./descriptor";

/**
 * The Proxy every connection type may set: the instance default (HTTPS_PROXY / HTTP_PROXY / NO_PROXY),
 * none, or a proxy URL with optional Basic credentials. The URL is stored in the clear; the user name and
 * password are secret fields (the connection's encrypted envelope, never shown back, masked). Client-safe.
 */

export const PROXY_SECRET_FIELDS = ["proxyUsername", "proxyPassword"] as const;
export type ProxyValues = { proxyMode?: (typeof PROXY_MODES)[number]; proxyUrl?: string; proxyUsername?: string; proxyPassword?: string };

/** Spread into a type's z.object (commonFields does, for every type). */
export const proxyFields = {
  proxyMode: z.enum(PROXY_MODES, "Choose the instance default, no proxy or a proxy URL").default("default"),
  proxyUrl: z.union([z.literal(""), proxyUrlSchema]).default(""),
  proxyUsername: line(LIMITS.short).default(""),
  proxyPassword: line(LIMITS.secret).default(""),
};

export const PROXY_DEFAULTS = { proxyMode: "default", proxyUrl: "", proxyUsername: "", proxyPassword: "" } as const;

/** For a type's schema (defineConnectionForm adds it): a custom proxy needs its URL; credentials need a custom proxy. */
export function refineProxy(v: ProxyValues, ctx: z.RefinementCtx): void {
  if (v.proxyMode === "custom" && !v.proxyUrl)
    ctx.addIssue({ code: "custom", path: ["proxyUrl"], message: "Enter the proxy's URL, like http://proxy.corp.example:3128" });
  if (v.proxyMode !== "custom" && (v.proxyUsername || v.proxyPassword)) {
    ctx.addIssue({ code: "custom", path: ["proxyUsername"], message: "Proxy credentials go with a proxy URL: choose “Proxy URL”, or clear them." });
  }
}

export const proxyFormFields = [
  {
    kind: "select",
    name: "proxyMode",
    label: "Proxy",
    hint: "How this connection's requests, Verify and token calls leave: the instance's proxy (HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY), directly, or through a proxy of your own.",
    options: [
      ["default", "Instance default"],
      ["none", "No proxy"],
      ["custom", "Proxy URL"],
    ],
  },
  {
    kind: "text",
    name: "proxyUrl",
    label: "Proxy URL",
    hint: "An HTTP proxy: https:// targets go through a CONNECT tunnel, http:// ones are forwarded. Its address must pass the address guard (an internal proxy must be in PLUGBOARD_ALLOWED_HOSTS).",
    placeholder: "http://proxy.corp.example:3128",
    when: (v) => v.proxyMode === "custom",
  },
  {
    kind: "text",
    name: "proxyUsername",
    label: "Proxy User Name",
    hint: "Optional: Basic proxy authentication.",
    secret: true,
    when: (v) => v.proxyMode === "custom",
  },
  { kind: "text", name: "proxyPassword", label: "Proxy Password", secret: true, when: (v) => v.proxyMode === "custom" },
] as const satisfies ReadonlyArray<FormField<ProxyValues>>;
