import { getEnv } from "@/lib/config/env";
import { echoInput } from "./errors";
import type { ScopeName } from "./scopes";

/**
 * RFC 8707 resource indicators. Plugboard's authorization server issues tokens for two protected
 * resources: the REST API (/api/v1, the default when no resource is named) and the MCP endpoint (/mcp).
 * A token is bound to one of them and refused by the other. MCP scopes belong to /mcp only, and a token
 * for /mcp carries only MCP scopes, so a scope never opens a resource it was not written for.
 */
export const MCP_SCOPE_PREFIX = "mcp.";
/** The scopes /mcp checks (tools/list, tools/call, resources/list and resources/read), as scopes.ts registers them. */
export const MCP_SCOPES = {
  list: "mcp.tools:list",
  execute: "mcp.tools:execute",
  resources: "mcp.resources:read",
} as const satisfies Record<string, ScopeName>;

/** The canonical URI of the MCP endpoint (RFC 9728 `resource`; the `aud` of its tokens). */
export function mcpResource(): string {
  return `${getEnv().publicUrl}/mcp`;
}

export function restResource(): string {
  return `${getEnv().publicUrl}/api/v1`;
}

/** null: the REST API; otherwise the resource URI stored on the grant and its tokens. */
export type ResourceBinding = string | null;

/** The resource a request names (RFC 8707 §2: an absolute URI without a fragment); absent: the REST API. */
export function resolveResource(
  resourceParam: string | null | undefined,
): { ok: true; resource: ResourceBinding } | { ok: false; description: string } {
  if (!resourceParam) return { ok: true, resource: null };
  let url: URL;
  try {
    url = new URL(resourceParam);
  } catch {
    return { ok: false, description: "resource must be an absolute URI." };
  }
  if (url.hash) return { ok: false, description: "resource must not have a fragment." };
  const normalized = url.href.replace(/\/$/, "");
  if (normalized === mcpResource()) return { ok: true, resource: mcpResource() };
  if (normalized === restResource()) return { ok: true, resource: null };
  return { ok: false, description: `Unknown resource ${echoInput(resourceParam, 80)}.` };
}

/** Why `scopes` cannot go to `resource`, or null when they can. */
export function scopeResourceMismatch(scopes: string[], resource: ResourceBinding): string | null {
  const wrong = scopes.find((s) => s.startsWith(MCP_SCOPE_PREFIX) !== (resource !== null));
  if (!wrong) return null;
  return resource
    ? `A token for ${resource} carries MCP scopes only, not ${echoInput(wrong)}.`
    : `Scope ${echoInput(wrong)} is for the MCP endpoint: send resource=${mcpResource()}.`;
}

/** The scopes of `allowed` that may go to `resource` (a request that named no scope gets these). */
export function scopesForResource(allowed: string[], resource: ResourceBinding): string[] {
  return allowed.filter((s) => s.startsWith(MCP_SCOPE_PREFIX) === (resource !== null));
}
