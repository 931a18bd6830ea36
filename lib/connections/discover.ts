import "server-only";
import type { TeamContext } from "@/lib/auth/team-context";
import { requireRole } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { NO_SECRETS } from "@/lib/http/mask";
import { discover, OAuthError, type DiscoveredServer } from "@/lib/oauth-client";
import { oauthOptions } from "./oauth-transport";

/** "Discover from issuer URL": the provider's RFC 8414 / OpenID metadata, fetched through the guarded fetch. */
export async function discoverProvider(ctx: TeamContext, issuerUrl: string): Promise<DiscoveredServer> {
  requireRole(ctx, "member");
  try {
    // Discovery carries no credentials.
    return await discover(issuerUrl, oauthOptions([issuerUrl], NO_SECRETS));
  } catch (err) {
    if (err instanceof OAuthError) throw new ServiceError(err.message, "invalid", { issuerUrl: err.message });
    throw err;
  }
}
