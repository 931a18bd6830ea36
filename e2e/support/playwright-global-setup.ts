import { mkdirSync } from "node:fs";
import { startHttpbin } from "./httpbin";
import { startOAuthTestServer } from "./oauth-test-server";

/**
 * Runs after the app server started (Playwright starts webServer first): starts the real peers the
 * specs talk to and hands their addresses to the workers through process.env.
 */
export default async function globalSetup() {
  mkdirSync("e2e/.auth", { recursive: true });
  // `npm test` passes the httpbin it started (or the one HTTPBIN_URL names); a direct run starts its own.
  const httpbin = process.env.HTTPBIN_URL ? undefined : await startHttpbin();
  if (httpbin) process.env.HTTPBIN_URL = httpbin.url;
  // The OAuth test server with its login and consent pages; the app's callback is registered exactly.
  const port = Number(process.env.E2E_PORT ?? 3100);
  const oauth = await startOAuthTestServer({ redirectUris: [`http://localhost:${port}/oauth/callback`] });
  process.env.OAUTH_E2E_ISSUER = oauth.issuer;
  return async () => {
    await Promise.all([httpbin?.stop(), oauth.stop()]);
  };
}
