import "server-only";
import type { Database } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { toCurl } from "@/lib/http";
import type { RequestSpec } from "@/lib/http/spec";
import { resolveRunConnection } from "./resolve-connection";

/**
 * Copy as cURL: the connection's credentials are applied the way the executor applies them, then every
 * secret value is masked, so the command shows where credentials go without revealing them.
 */
export async function curlWithCredentials(db: Database, ctx: TeamContext, input: { connectionId: string | null; spec: RequestSpec }): Promise<string> {
  const connection = await resolveRunConnection(db, ctx, input.connectionId);
  if (!connection) return toCurl(input.spec);
  const base = connection.provider.baseUrl;
  const url = new URL(input.spec.url, /^https?:\/\//i.test(input.spec.url) ? undefined : base);
  const headers = new Headers();
  await connection.provider.apply({ url, headers }, { forceRefresh: false });
  const spec: RequestSpec = {
    ...input.spec,
    url: url.toString(),
    headers: [...input.spec.headers, ...[...headers.entries()].map(([key, value]) => ({ key, value, enabled: true }))],
  };
  return toCurl(spec, { masker: connection.provider.masker });
}
