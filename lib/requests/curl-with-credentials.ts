import "server-only";
import type { Database } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { toCurl } from "@/lib/http";
import { resolveUrl } from "@/lib/http/build-request";
import { HttpRequestError } from "@/lib/http/errors";
import type { RequestSpec } from "@/lib/http/spec";
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
  if (!connection) return toCurl(input.spec);
  const url = requestUrl(input.spec, connection.provider.baseUrl);
  const auth = connection.provider.curlAuth?.() ?? { kind: "applied", tlsOptions: [] };
  const masker = connection.provider.masker;
  const plain = { ...input.spec, url: url.toString(), query: [] };
  if (auth.kind === "options") return toCurl(plain, { masker, authOptions: [...auth.options, ...auth.tlsOptions] });
  if (auth.kind === "unsupported") return toCurl(plain, { masker, note: auth.note, authOptions: auth.tlsOptions });
  const headers = new Headers();
  await connection.provider.apply({ method: input.spec.method, url, headers }, { forceRefresh: false });
  const spec: RequestSpec = {
    ...input.spec,
    url: url.toString(),
    query: [], // already in the URL, in the executor's order
    headers: [...input.spec.headers, ...[...headers.entries()].map(([key, value]) => ({ key, value, enabled: true }))],
  };
  return toCurl(spec, { masker, authOptions: auth.tlsOptions });
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
