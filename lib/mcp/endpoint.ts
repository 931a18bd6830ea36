import "server-only";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Database } from "@/db";
import { authenticateBearer, type ApiPrincipal, type BearerFailure } from "@/lib/api/bearer";
import { clientIp } from "@/lib/auth/client-ip";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { getEnv } from "@/lib/config/env";
import { BodyTooLargeError, readBodyJson } from "@/lib/inbound/read-body";
import { MCP_SCOPES, mcpResource } from "@/lib/oauth-server/resources";
import { callMcpTool } from "./call-tool";
import { protectedResourceMetadataUrl } from "./resource-metadata";
import { isMcpResourceUri, MCP_RESOURCES } from "./resources";
import { listMcpTools } from "./tools";

// A JSON-RPC message with a tool's arguments: small; the tools' own uploads do not come through here.
const MCP_BODY_MAX_BYTES = 256 * 1024;

const quote = (value: string) => `"${value.replace(/["\\]/g, "")}"`;

/** RFC 6750 §3 with RFC 9728 §5.1: the challenge names where the client learns how to get a token. */
function challenge(status: 401 | 403, fields: Record<string, string>, description: string): Response {
  const params = [`resource_metadata=${quote(protectedResourceMetadataUrl())}`, ...Object.entries(fields).map(([k, v]) => `${k}=${quote(v)}`)];
  return Response.json(
    { error: fields.error ?? "unauthorized", error_description: description },
    { status, headers: { "WWW-Authenticate": `Bearer ${params.join(", ")}`, "Cache-Control": "no-store" } },
  );
}

function unauthorized(failure: BearerFailure): Response {
  return challenge(401, failure.error ? { error: failure.error, error_description: failure.description } : {}, failure.description);
}

/** The scope each JSON-RPC method needs; anything else (initialize, ping, notifications) needs any MCP scope. */
const METHOD_SCOPES: Record<string, string> = {
  "tools/call": MCP_SCOPES.execute,
  "tools/list": MCP_SCOPES.list,
  "resources/list": MCP_SCOPES.resources,
  "resources/read": MCP_SCOPES.resources,
  "resources/templates/list": MCP_SCOPES.resources,
};

function scopeFor(method: unknown): string | null {
  return typeof method === "string" && Object.hasOwn(METHOD_SCOPES, method) ? METHOD_SCOPES[method] : null;
}

function missingScope(body: unknown, scopes: string[]): string | null {
  const messages = Array.isArray(body) ? body : [body];
  for (const message of messages) {
    const method = message && typeof message === "object" ? (message as { method?: unknown }).method : undefined;
    const needed = scopeFor(method);
    if (needed && !scopes.includes(needed)) return needed;
  }
  if (!Object.values(MCP_SCOPES).some((scope) => scopes.includes(scope))) return MCP_SCOPES.list;
  return null;
}

/**
 * POST /mcp: MCP over Streamable HTTP, stateless (every request carries its bearer token; no session is
 * kept between requests, so any instance answers). The token must have been issued for this resource
 * (RFC 8707); scopes are checked per JSON-RPC method before the SDK sees the message.
 */
export async function handleMcpRequest(db: Database, request: Request): Promise<Response> {
  const ip = clientIp(request.headers);
  const principal = await authenticateBearer(db, request.headers, ip, mcpResource());
  if ("status" in principal) return unauthorized(principal);
  // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
  if (request.method !== "POST") {
    return Response.json(
      { error: "method_not_allowed", error_description: "Send MCP messages with POST." },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  const perMinute = getEnv().mcpRateLimit;
  const count = await hitRateLimit(db, `mcp:client:${principal.client.id}`, { limit: perMinute, windowSeconds: 60 });
  if (count > perMinute) {
    return Response.json(
      { error: "rate_limited", error_description: `This application may send ${perMinute} MCP requests a minute.` },
      { status: 429, headers: { "Retry-After": "60" } },
    );
  }
  let body: unknown;
  try {
    body = await readBodyJson(request, MCP_BODY_MAX_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return Response.json({ error: "payload_too_large", error_description: error.message }, { status: 413 });
    return Response.json({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: the body must be JSON." } }, { status: 400 });
  }
  const needed = missingScope(body, principal.scopes);
  if (needed) return challenge(403, { error: "insufficient_scope", scope: needed }, `This request needs the ${needed} scope.`);

  const server = buildServer(db, principal, request.signal);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  return transport.handleRequest(request, { parsedBody: body });
}

function buildServer(db: Database, principal: ApiPrincipal, signal: AbortSignal): Server {
  const server = new Server(
    { name: "plugboard", version: "1.0.0" },
    { capabilities: { tools: { listChanged: false }, resources: { listChanged: false, subscribe: false } } },
  );
  const { ctx } = principal;
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const tools = await listMcpTools(db, ctx);
    return {
      tools: tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        inputSchema: tool.inputSchema as { type: "object"; properties?: Record<string, object> },
      })),
    };
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    return callMcpTool(db, ctx, {
      name: request.params.name,
      args: request.params.arguments ?? {},
      signal: AbortSignal.any([signal, extra.signal]),
      onProgress:
        progressToken === undefined
          ? undefined
          : (progress, total, message) =>
              extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress, total, message } }),
    });
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: Object.entries(MCP_RESOURCES).map(([uri, r]) => ({
      uri,
      name: r.name,
      title: r.title,
      description: r.description,
      mimeType: "application/json",
    })),
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    // SEP-2164 (final): an unknown resource is Invalid Params, with the URI in data.
    if (!isMcpResourceUri(uri)) throw new McpError(ErrorCode.InvalidParams, "Resource not found", { uri: uri.slice(0, 200) });
    const value = await MCP_RESOURCES[uri].read(db, ctx);
    return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify(value, null, 2) }] };
  });
  return server;
}
