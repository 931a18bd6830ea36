// Test-only: call a REST route's handler the way Next.js does, with a bearer token and a JSON body.
import { BASE } from "@/lib/oauth-server/test-helpers";
import { apiRouteHandler } from "./handler";

export function callRoute(
  route: Parameters<typeof apiRouteHandler>[0],
  token: string,
  options: { path: string; method?: string; id?: string; body?: unknown },
) {
  return apiRouteHandler(route)(
    new Request(`${BASE}${options.path}`, {
      method: options.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    { params: Promise.resolve<Record<string, string>>(options.id ? { id: options.id } : {}) },
  );
}
