import { startOAuthTestServer } from "./oauth-test-server";

/**
 * One OAuth test server for the whole vitest run, with autoApprove (no login/consent pages). Tests read
 * OAUTH_TEST_ISSUER, OAUTH_TEST_RESOURCE_URL and OAUTH_TEST_REDIRECT_URI from process.env; client ids
 * and secrets are the fixed TEST_CLIENTS of oauth-test-config.ts. Tests that count token calls or
 * revoke tokens should start their own server with startOAuthTestServer(), since files run in parallel.
 */
export default async function setup() {
  const redirectUri = "http://127.0.0.1:3000/oauth/callback";
  const server = await startOAuthTestServer({ autoApprove: true, redirectUris: [redirectUri] });
  process.env.OAUTH_TEST_ISSUER = server.issuer;
  process.env.OAUTH_TEST_RESOURCE_URL = server.resourceUrl;
  process.env.OAUTH_TEST_REDIRECT_URI = redirectUri;
  return async () => {
    await server.stop();
  };
}
