import "server-only";
import type { Database } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { toCurl } from "@/lib/http";
import { resolveUrl } from "@/lib/http/build-request";
import { HttpRequestError } from "@/lib/http/errors";
import { MASK } from "@/lib/http/mask";
import { chooseProxyPlan, type ConnectionProxy } from "@/lib/http/proxy/proxy-plan";
import type { RequestSpec } from "@/lib/http/spec";
import { maskerWithVariables, resolveRequestVariables, variablesForRequest } from "@/lib/variables";
import { resolveRunConnection } from "./resolve-connection";

/**
 * Copy as cURL: the connection's credentials are applied the way the executor applies them, then every
 * secret value is masked, so the command shows where credentials go without revealing them.
 */
export async function curlWithCredentials(
  db: Database,
  ctx: TeamContext,
  input: { connectionId: string | null; spec: RequestSpec },
): Promise<string> {
  const connection = await resolveRunConnection(db, ctx, input.connectionId);
  // {{vars.NAME}} filled in as a run would; secret variables are masked with the connection's secrets.
  const variables = await variablesForRequest(db, ctx.team.id, input.spec);
  input = { ...input, spec: resolveRequestVariables(input.spec, variables) };
  const masker = maskerWithVariables(connection?.provider.masker, variables);
  if (!connection) {
    const url = URL.parse(input.spec.url);
    return toCurl(input.spec, { masker, authOptions: url ? proxyOptions(input.spec, undefined, url) : [] });
  }
  const url = requestUrl(input.spec, connection.provider.baseUrl);
  const auth = connection.provider.curlAuth?.() ?? { kind: "applied", tlsOptions: [] };
  const plain = { ...input.spec, url: url.toString(), query: [] };
  const proxy = proxyOptions(input.spec, connection.provider.proxy, url);
  if (auth.kind === "options") return toCurl(plain, { masker, authOptions: [...auth.options, ...auth.tlsOptions, ...proxy] });
  if (auth.kind === "unsupported") return toCurl(plain, { masker, note: auth.note, authOptions: [...auth.tlsOptions, ...proxy] });
  const headers = new Headers();
  await connection.provider.apply({ method: input.spec.method, url, headers }, { forceRefresh: false });
  const spec: RequestSpec = {
    ...input.spec,
    url: url.toString(),
    query: [], // already in the URL, in the executor's order
    headers: [...input.spec.headers, ...[...headers.entries()].map(([key, value]) => ({ key, value, enabled: true }))],
  };
  return toCurl(spec, { masker, authOptions: [...auth.tlsOptions, ...proxy] });
}

/**
 * `-x <proxy>` when the executor would send this request through a proxy (the request's choice, else the
 * connection's, else the instance's minus NO_PROXY), with `--proxy-user name:••••` when it logs in: the
 * proxy's password is never in the command.
 */
function proxyOptions(spec: RequestSpec, connectionProxy: ConnectionProxy | undefined, url: URL): string[] {
  const server = chooseProxyPlan(spec.proxy, connectionProxy)?.routeFor(url);
  if (!server) return [];
  const options = ["-x", server.url.origin];
  if (server.username !== undefined || server.password !== undefined) options.push("--proxy-user", `${server.username ?? ""}:${MASK}`);
  return options;
}

/** The URL exactly as the executor builds it; a relative URL without a connection host is a field error. */
function requestUrl(spec: RequestSpec, baseUrl: string | undefined): URL {
  try {
    return resolveUrl(spec, baseUrl);
  } catch (error) {
    if (!(error instanceof HttpRequestError)) throw error;
    const message = baseUrl
      ? `${error.message}.`
      : "This URL is relative and the connection has no Host: use an absolute http(s) URL, or set the connection's Host.";
    throw new ServiceError(message, "invalid", { "spec.url": message });
  }
}
