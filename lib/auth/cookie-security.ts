import { getEnv } from "@/lib/config/env";

/**
 * Whether a cookie Plugboard sets gets `Secure`: when the app is served over https, which its public
 * URL says (outside `next dev`, which serves plain http), or which the request shows (the reverse proxy's
 * X-Forwarded-Proto, the rule Auth.js applies to its own cookies). One rule for every cookie we set.
 */
export function cookieIsSecure(requestHeaders?: Headers): boolean {
  if (requestHeaders?.get("x-forwarded-proto") === "https") return true;
  return process.env.NODE_ENV === "production" && getEnv().publicUrl.startsWith("https:");
}
