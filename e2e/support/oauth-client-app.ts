import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as client from "openid-client";

/**
 * A tiny third-party web app for the browser test: /login sends the user to Plugboard's consent screen
 * with PKCE and state, /callback exchanges the code with openid-client (a library nobody here wrote).
 */
export async function startClientApp(issuer: string) {
  let config: client.Configuration | undefined;
  let pending: { verifier: string; state: string } | undefined;
  const result: { tokens?: client.TokenEndpointResponse; callbackUrl?: URL; error?: string } = {};
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://localhost:${port}`);
    try {
      if (url.pathname === "/login" && config) {
        const verifier = client.randomPKCECodeVerifier();
        pending = { verifier, state: client.randomState() };
        const target = client.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: "audit.log:read",
          code_challenge: await client.calculatePKCECodeChallenge(verifier),
          code_challenge_method: "S256",
          state: pending.state,
        });
        res.writeHead(302, { location: target.href }).end();
        return;
      }
      if (url.pathname === "/callback" && config && pending) {
        result.callbackUrl = url;
        result.tokens = undefined;
        result.error = undefined;
        result.tokens = await client.authorizationCodeGrant(config, url, { pkceCodeVerifier: pending.verifier, expectedState: pending.state });
        res.writeHead(200, { "content-type": "text/html" }).end("<h1>Signed in to the client app</h1>");
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      result.error = (error as { error?: string }).error ?? (error as Error).message;
      res.writeHead(400, { "content-type": "text/html" }).end(`<h1>Client app error: ${result.error}</h1>`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://localhost:${port}/callback`;
  return {
    port,
    redirectUri,
    result,
    async configure(clientId: string, clientSecret: string) {
      config = await client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(clientSecret), {
        execute: [client.allowInsecureRequests],
        algorithm: "oauth2",
      });
      return config;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
