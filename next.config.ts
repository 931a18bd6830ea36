import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./lib/server/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm test` type-checks the whole tree with tsc; this switch only lets a developer iterate on pages
  // while another module is half-written.
  typescript: { ignoreBuildErrors: process.env.PLUGBOARD_SKIP_BUILD_TYPECHECK === "1" },
  // Native and WASM packages must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg", "pg-boss", "oidc-provider", "fs-native-extensions"],
  // proxy.ts reads server action bodies (to answer 4xx rather than Next's 500 to bad ones); it must see
  // them whole, so its clone limit matches the action limit.
  experimental: { serverActions: { bodySizeLimit: "25mb" }, proxyClientMaxBodySize: "25mb" },
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      // RFC 9700 §4.2.4: the OAuth callback's code and state must not leak through Referer.
      { source: "/oauth/callback", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};

export default nextConfig;
