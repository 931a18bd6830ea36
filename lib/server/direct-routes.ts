import "server-only";
import { apiRouteAnswer } from "@/lib/api/handler";
import { API_ROUTES } from "@/lib/api/registry";
import { introspectionAnswer, revocationAnswer, tokenAnswer } from "@/lib/oauth-server/endpoints";
import type { DirectDispatch } from "./direct-dispatch";
import type { Answer } from "@/lib/inbound/answer";
import type { InboundRequest } from "@/lib/inbound/read-body";
import { serveInbound } from "./node-bridge";

/**
 * The machine-to-machine endpoints, served by the production server without Next.js's per-request
 * pipeline (about 0.7 ms of CPU a request on this machine before a route handler runs): the REST API
 * and the OAuth token, revocation and introspection endpoints. They are the same handlers their
 * app/ route files export, which still serve them under `next dev`. Anything not matched here (another
 * method, a trailing slash, an odd path) goes to Next.js and gets its usual answer.
 */
type RouteParams = Record<string, string>;
export type DirectRoute = {
  method: string;
  path: string;
  handle: (request: InboundRequest, params: RouteParams) => Promise<Answer>;
};

const OAUTH_ENDPOINTS: DirectRoute[] = [
  { method: "POST", path: "/oauth2/token", handle: tokenAnswer },
  { method: "POST", path: "/oauth2/revoke", handle: revocationAnswer },
  { method: "POST", path: "/oauth2/introspect", handle: introspectionAnswer },
];

export function directRoutes(): DirectRoute[] {
  const api = API_ROUTES.map((route): DirectRoute => {
    const handler = apiRouteAnswer(route);
    return { method: route.method, path: route.path, handle: (request, params) => handler(request, { params: Promise.resolve(params) }) };
  });
  return [...OAUTH_ENDPOINTS, ...api];
}

type CompiledRoute = { route: DirectRoute; pattern: RegExp; names: string[] };

/** `/api/v1/connections/{id}` matches one non-empty segment per parameter, decoded as Next.js decodes it. */
function compile(route: DirectRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param[1]);
      return "([^/]+)";
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}$`), names };
}

export function matchDirectRoute(routes: CompiledRoute[], method: string, url: string): { route: DirectRoute; params: RouteParams } | undefined {
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const match = compiled.pattern.exec(pathname);
    if (!match) continue;
    const params: RouteParams = {};
    try {
      compiled.names.forEach((name, i) => {
        params[name] = decodeURIComponent(match[i + 1]);
      });
    } catch {
      return undefined; // a malformed escape: Next.js answers it
    }
    return { route: compiled.route, params };
  }
  return undefined;
}

export function compileDirectRoutes(routes: DirectRoute[]): CompiledRoute[] {
  return routes.map(compile);
}

/** The dispatch instrumentation.ts publishes for scripts/serve.ts. */
export function createDirectDispatch(routes: DirectRoute[] = directRoutes()): DirectDispatch {
  const compiled = compileDirectRoutes(routes);
  return async (req, res, address) => {
    const matched = matchDirectRoute(compiled, req.method ?? "GET", req.url ?? "/");
    if (!matched) return false;
    await serveInbound((request) => matched.route.handle(request, matched.params), req, res, address);
    return true;
  };
}
