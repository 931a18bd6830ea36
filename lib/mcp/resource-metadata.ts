import { getEnv } from "@/lib/config/env";
import { issuer } from "@/lib/oauth-server/config";
import { MCP_SCOPES, mcpResource } from "@/lib/oauth-server/resources";

/** RFC 9728 §3.1: the metadata of a resource with a path is at /.well-known/oauth-protected-resource + that path. */
export function protectedResourceMetadataUrl(): string {
  return `${getEnv().publicUrl}/.well-known/oauth-protected-resource/mcp`;
}

/** RFC 9728 §2: what an MCP client learns about /mcp before it asks the authorization server for a token. */
export function protectedResourceMetadata() {
  return {
    resource: mcpResource(),
    authorization_servers: [issuer()],
    scopes_supported: Object.values(MCP_SCOPES),
    bearer_methods_supported: ["header"],
    resource_name: "Plugboard MCP tools",
    resource_documentation: `${getEnv().publicUrl}/api-docs`,
  };
}
