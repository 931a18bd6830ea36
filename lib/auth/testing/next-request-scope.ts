// Next.js's server sets up AsyncLocalStorage before anything else loads; so must a test, before next/headers.
import "next/dist/server/node-environment-baseline";
import { workAsyncStorage, type WorkStore } from "next/dist/server/app-render/work-async-storage.external";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { createRequestStoreForAPI } from "next/dist/server/async-storage/request-store";
import { appendMutableCookies } from "next/dist/server/web/spec-extension/adapters/request-cookies";
import { NextRequest } from "next/server";

/**
 * Runs a route handler in a test as Next.js's app-route module runs it: `headers()` and `cookies()` from
 * next/headers read `request`, and cookies set through `cookies()` (Auth.js's session cookie) are added to
 * the handler's response. Next.js has no public API for this; these are the modules its app-route module uses.
 */
export async function runRouteHandler(request: Request, handler: (request: NextRequest) => Promise<Response>): Promise<Response> {
  const nextRequest = new NextRequest(request);
  const requestStore = createRequestStoreForAPI(
    nextRequest,
    nextRequest.nextUrl,
    { tags: [], expirationsByCacheKind: new Map() },
    undefined,
    { previewModeId: "test", previewModeEncryptionKey: "test", previewModeSigningKey: "test" },
    undefined,
  );
  const workStore = {
    route: nextRequest.nextUrl.pathname,
    page: nextRequest.nextUrl.pathname,
    forceStatic: false,
    dynamicShouldError: false,
  } as WorkStore;
  const response = await workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(requestStore, () => handler(nextRequest)));
  const headers = new Headers(response.headers);
  appendMutableCookies(headers, requestStore.mutableCookies);
  return new Response(response.body, { status: response.status, headers });
}
