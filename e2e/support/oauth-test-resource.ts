import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider, StoredToken } from "oidc-provider";
import { readBody } from "./oauth-test-interactions";

/**
 * A protected resource on the test server (`/resource/...`, any method). It accepts the access token
 * in the Authorization header (Bearer) and/or the `access_token` query parameter, checks it against
 * the provider's token store, and echoes what it received so tests can check token placement.
 *   200 {ok, method, path, query, headers, body, token: {location, clientId, accountId, scope}}
 *   401 WWW-Authenticate: Bearer error="invalid_token" for an unknown, revoked or expired token;
 *   401 Bearer without error when no token was sent; 400 when header and query carry different tokens.
 */

export type TokenLocation = "header" | "query" | "both" | "none";

export interface ResourceEcho {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  tokenLocation: TokenLocation;
  status: number;
  clientId?: string;
  accountId?: string;
  scope?: string;
}

export async function handleResource(provider: Provider, req: IncomingMessage, res: ServerResponse, url: URL): Promise<ResourceEcho> {
  const body = await readBody(req, 1024 * 1024);
  const headers = flatHeaders(req.headers);
  const query = Object.fromEntries(url.searchParams);
  const fromHeader = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1];
  const fromQuery = url.searchParams.get("access_token") ?? undefined;
  const tokenLocation: TokenLocation = fromHeader && fromQuery ? "both" : fromHeader ? "header" : fromQuery ? "query" : "none";
  const echo: ResourceEcho = { method: req.method ?? "GET", path: url.pathname, query, headers, body, tokenLocation, status: 0 };

  const send = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
    echo.status = status;
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...extra });
    res.end(JSON.stringify(payload));
    return echo;
  };

  if (fromHeader && fromQuery && fromHeader !== fromQuery) {
    return send(400, { error: "invalid_request", error_description: "different tokens in header and query" });
  }
  const value = fromHeader ?? fromQuery;
  if (!value) return send(401, { error: "unauthorized" }, { "www-authenticate": 'Bearer realm="oauth-test-server"' });

  const token = await findToken(provider, value);
  if (!token) {
    return send(
      401,
      { error: "invalid_token", error_description: "unknown, revoked or expired access token" },
      { "www-authenticate": 'Bearer realm="oauth-test-server", error="invalid_token"' },
    );
  }
  Object.assign(echo, { clientId: token.clientId, accountId: token.accountId, scope: token.scope });
  return send(200, {
    ok: true,
    method: echo.method,
    path: echo.path,
    query,
    headers,
    body,
    token: { location: tokenLocation, clientId: token.clientId, accountId: token.accountId, scope: token.scope },
  });
}

async function findToken(provider: Provider, value: string): Promise<StoredToken | undefined> {
  // find() verifies expiry itself; client credentials tokens live in their own model.
  const token = (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
  return token && !token.isExpired ? token : undefined;
}

export function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}
