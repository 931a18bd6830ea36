/**
 * The scopes a Plugboard OAuth client may hold. Each names the part of `/api/v1` it opens; the role
 * behind the token still applies, so a scope only ever narrows what that role may do.
 * Importable from client components (the Applications form lists them).
 */
export const SCOPE_CATALOGUE = [
  {
    name: "connections:read",
    description: "Read connections (names, types, settings and status, never secrets): GET /api/v1/connections and GET /api/v1/connections/{id}.",
  },
  {
    name: "connections:write",
    description:
      "Create, replace, delete and verify connections: POST /api/v1/connections, PUT and DELETE /api/v1/connections/{id}, POST /api/v1/connections/{id}/verify.",
  },
  {
    name: "requests:run",
    description: "Run HTTP requests through Plugboard's executor, with a connection's credentials: POST /api/v1/requests/run.",
  },
  {
    name: "flows:read",
    description: "Read flows and their runs: GET /api/v1/flows, /api/v1/flows/{id}, /api/v1/flows/{id}/runs and /api/v1/flow-runs/{id}.",
  },
  {
    name: "flows:run",
    description: "Start flow runs: POST /api/v1/flows/{id}/runs.",
  },
  {
    name: "variables:read",
    description: "Read the team's variables (names, and values of those that are not secret): GET /api/v1/variables and /api/v1/variables/{id}.",
  },
  {
    name: "variables:write",
    description:
      "Create, change and delete the team's variables (a secret value is write-only): POST /api/v1/variables, PUT and DELETE /api/v1/variables/{id}. The token's role must be admin.",
  },
  {
    name: "audit.log:read",
    description: "Read the team's audit log: GET /api/v1/audit-log. The token's role must be admin.",
  },
  {
    name: "alerts:admin",
    description:
      "Manage the team's alert endpoints (webhooks, email addresses) and settings, send test events and read delivery logs: /api/v1/alerts/…. The token's role must be admin.",
  },
  {
    name: "alerts:personal",
    description: "Read and choose your own email alerts in the team: GET and PUT /api/v1/alerts/me. A user's token only.",
  },
  {
    name: "team:export",
    description:
      "Export the team's connections, saved requests, flows and Applications as a bundle, its secrets under a passphrase or left out: POST /api/v1/team/export. The token's role must be admin.",
  },
  {
    name: "team:import",
    description:
      "Preview and import a team bundle into the team, all or nothing: POST /api/v1/team/import/preview and POST /api/v1/team/import. The token's role must be admin.",
  },
  {
    name: "applications:read",
    description:
      "Read the team's Applications (OAuth clients): settings, lifetimes, authentication method and keys, and their secrets' dates (never a secret): GET /api/v1/applications/…. The token's role must be admin.",
  },
  {
    name: "applications:write",
    description:
      "Create, change and delete the team's Applications, add and revoke their secrets (a new secret is in that answer only): POST, PATCH and DELETE /api/v1/applications/…. The token's role must be admin, and a new application can hold only scopes the token holds.",
  },
  {
    name: "mcp.tools:list",
    description: "See the team's MCP tools (names, descriptions and inputs of the saved requests and flows offered to AI agents) at /mcp.",
  },
  {
    name: "mcp.tools:execute",
    description:
      "Call the team's MCP tools at /mcp: each call runs its saved request or flow with the team's connections (the agent sees masked results, never the credentials).",
  },
  {
    name: "mcp.resources:read",
    description:
      "Read the team's connection health (status, last check, expiry; never a credential) and its recent request and flow runs (masked) as MCP resources at /mcp.",
  },
] as const;

export type ScopeName = (typeof SCOPE_CATALOGUE)[number]["name"];

export const SCOPE_NAMES = SCOPE_CATALOGUE.map((s) => s.name) as [ScopeName, ...ScopeName[]];

export function isKnownScope(name: string): name is ScopeName {
  return (SCOPE_NAMES as readonly string[]).includes(name);
}

export function describeScope(name: string): string {
  return SCOPE_CATALOGUE.find((s) => s.name === name)?.description ?? "Unknown scope.";
}

/** RFC 6749 §3.3 scope tokens, split leniently on whitespace; null when a token has invalid characters. */
export function parseScopeParam(value: string | undefined | null): string[] | null {
  const tokens = (value ?? "").split(/\s+/).filter(Boolean);
  if (tokens.some((t) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(t))) return null;
  return [...new Set(tokens)];
}
