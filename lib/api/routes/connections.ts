import { z } from "zod";
import type { Database } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { line } from "@/lib/validation/fields";
import {
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  needsConsent,
  replaceConnection,
  saveConnection,
  verifyConnection,
  type ConnectionSummary,
} from "@/lib/connections";
import { CONNECTION_STATUSES, CONNECTION_TYPES, connectionInputSchema, type ConnectionInput } from "@/lib/connections/schemas";
import { ServiceError } from "@/lib/errors/service-error";
import { ATTENTION_REASONS, attentionReasons } from "@/lib/health/attention";
import { HEALTH_SCHEDULES } from "@/lib/health/schedule";
import { defineApiRoute } from "../define-route";

// What the API shows of a connection: never a secret, only what the Connections tab shows.
const connectionSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(CONNECTION_TYPES),
  status: z.enum(CONNECTION_STATUSES),
  lastVerifiedAt: z.iso.datetime().nullable(),
  lastVerifyOk: z.boolean().nullable(),
  lastVerifyMessage: z.string().nullable(),
  grantedScopes: z.array(z.string()).nullable(),
  tokenExpiresAt: z.iso.datetime().nullable(),
  allowedHosts: z.array(z.string()),
  createdByName: z.string().nullable(),
  createdAt: z.iso.datetime(),
  usedBy: z.array(z.string()).describe("Saved requests and flows that use the connection."),
  health: z
    .object({
      lastCheckAt: z.iso.datetime().nullable().describe("When the last check (Verify, scheduled check, check on save) ran."),
      lastCheckOk: z.boolean().nullable().describe("Its outcome; null when nothing could be checked."),
      lastCheckMessage: z.string().nullable().describe("Its outcome in words (masked)."),
      checkSchedule: z.enum(HEALTH_SCHEDULES).nullable().describe("How often it is checked; null until the scheduler has seen it."),
      nextCheckAt: z.iso.datetime().nullable(),
      keepAlive: z.enum(HEALTH_SCHEDULES).nullable().describe("How often its refresh token is used to keep it alive (OAuth consents)."),
      nextKeepAliveAt: z.iso.datetime().nullable(),
      expiresAt: z.iso.datetime().nullable().describe("When its credential expires: the typed Expires on, or the client certificate's end."),
      needsAttention: z.array(z.enum(ATTENTION_REASONS)).describe("Why it needs attention now (empty when it does not)."),
    })
    .describe("Health: the last check, the schedules and the credential's expiry."),
});

const idParams = z.object({ id: z.uuid("Not a connection id.") });

function toApi(c: ConnectionSummary): z.input<typeof connectionSchema> {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    status: c.status,
    lastVerifiedAt: c.lastVerifiedAt?.toISOString() ?? null,
    lastVerifyOk: c.lastVerifyOk,
    lastVerifyMessage: c.lastVerifyMessage,
    grantedScopes: c.grantedScopes,
    tokenExpiresAt: c.tokenExpiresAt?.toISOString() ?? null,
    allowedHosts: c.allowedHosts,
    createdByName: c.createdByName,
    createdAt: c.createdAt.toISOString(),
    usedBy: c.usedBy,
    health: {
      lastCheckAt: c.lastVerifiedAt?.toISOString() ?? null,
      lastCheckOk: c.lastVerifyOk,
      lastCheckMessage: c.lastVerifyMessage,
      checkSchedule: c.health.checkSchedule,
      nextCheckAt: c.health.nextCheckAt?.toISOString() ?? null,
      keepAlive: c.health.keepAlive,
      nextKeepAliveAt: c.health.nextKeepAliveAt?.toISOString() ?? null,
      expiresAt: c.health.expiresAt?.toISOString() ?? null,
      needsAttention: attentionReasons(c, new Date()),
    },
  };
}

// Test on save, opt-in: scripts that create a connection before its service is reachable keep working.
const verifyQuery = z.object({
  verify: z
    .enum(["true", "false"], "Use verify=true or verify=false.")
    .default("false")
    .describe(
      "true: check the connection first, as Verify does (a token for types that get their own, the Test URL); when the check fails nothing is saved and the answer is 400 with the reason.",
    ),
});

/** With ?verify=true: saved only when the check passes (the connection is then Verified); otherwise a 400 saying why. */
async function saveVerified(db: Database, ctx: TeamContext, connectionId: string | undefined, body: ConnectionInput): Promise<string> {
  const result = await saveConnection(db, ctx, { connectionId, input: body, check: true });
  if (!result.saved) throw new ServiceError(`The check failed, so nothing was saved: ${result.check.message}`, "invalid");
  return result.id;
}

const consentOnly = () =>
  new ServiceError("Authorization-code connections need the provider's consent in a browser: create or edit them in the app.", "invalid", {
    "body.type": "oauth2_code needs consent in the app",
  });

export const listConnectionsRoute = defineApiRoute({
  method: "GET",
  path: "/api/v1/connections",
  operationId: "listConnections",
  summary: "List the team's connections",
  tag: "Connections",
  scope: "connections:read",
  query: z.object({ q: line(200).trim().optional().describe("Only connections whose name contains this.") }),
  response: z.object({ connections: z.array(connectionSchema) }),
  handler: async ({ db, ctx, query }) => ({ connections: (await listConnections(db, ctx, { q: query.q })).map(toApi) }),
});

export const getConnectionRoute = defineApiRoute({
  method: "GET",
  path: "/api/v1/connections/{id}",
  operationId: "getConnection",
  summary: "Get a connection (without its secrets)",
  tag: "Connections",
  scope: "connections:read",
  params: idParams,
  response: connectionSchema,
  handler: async ({ db, ctx, params }) => toApi(await getConnection(db, ctx, params.id)),
});

export const createConnectionRoute = defineApiRoute({
  method: "POST",
  path: "/api/v1/connections",
  operationId: "createConnection",
  summary: "Create a connection of any type that needs no browser consent",
  tag: "Connections",
  scope: "connections:write",
  query: verifyQuery,
  body: connectionInputSchema,
  response: connectionSchema,
  status: 201,
  outbound: true,
  handler: async ({ db, ctx, query, body }) => {
    if (needsConsent(body.type)) throw consentOnly();
    const id = query.verify === "true" ? await saveVerified(db, ctx, undefined, body) : (await createConnection(db, ctx, body)).id;
    return toApi(await getConnection(db, ctx, id));
  },
});

export const updateConnectionRoute = defineApiRoute({
  method: "PUT",
  path: "/api/v1/connections/{id}",
  operationId: "updateConnection",
  summary: "Replace a connection's settings and credentials, keeping its id",
  description: "Secrets must be sent again: the stored credentials are replaced wholesale.",
  tag: "Connections",
  scope: "connections:write",
  params: idParams,
  query: verifyQuery,
  body: connectionInputSchema,
  response: connectionSchema,
  outbound: true,
  handler: async ({ db, ctx, params, query, body }) => {
    if (needsConsent(body.type)) throw consentOnly();
    if (query.verify === "true") await saveVerified(db, ctx, params.id, body);
    else await replaceConnection(db, ctx, params.id, body);
    return toApi(await getConnection(db, ctx, params.id));
  },
});

export const deleteConnectionRoute = defineApiRoute({
  method: "DELETE",
  path: "/api/v1/connections/{id}",
  operationId: "deleteConnection",
  summary: "Delete a connection and its stored secrets",
  tag: "Connections",
  scope: "connections:write",
  params: idParams,
  response: z.null(),
  status: 204,
  handler: async ({ db, ctx, params }) => {
    await deleteConnection(db, ctx, params.id);
    return null;
  },
});

export const verifyConnectionRoute = defineApiRoute({
  method: "POST",
  path: "/api/v1/connections/{id}/verify",
  operationId: "verifyConnection",
  summary: "Verify a connection: obtain or refresh its token and call its test URL",
  tag: "Connections",
  scope: "connections:write",
  params: idParams,
  response: z.object({ ok: z.boolean(), message: z.string().describe("What succeeded or failed, in words."), at: z.iso.datetime() }),
  handler: async ({ db, ctx, params }) => {
    const result = await verifyConnection(db, ctx, params.id);
    return { ok: result.ok, message: result.message, at: result.at.toISOString() };
  },
});
