import { getDb } from "@/db";
import { publishedSigningKeys } from "@/lib/oauth-server/signing-keys";

export const dynamic = "force-dynamic";

/**
 * GET /oauth2/jwks: the public keys of JWT access tokens (RFC 7517 JWK Set), listed as jwks_uri in the
 * metadata. Cached briefly: a verifier meeting an unknown kid after a rotation fetches again.
 */
export async function GET(): Promise<Response> {
  const keys = await publishedSigningKeys(await getDb());
  return Response.json({ keys }, { headers: { "Cache-Control": "public, max-age=60" } });
}
