import { z } from "zod";
import { line } from "@/lib/validation/fields";
import { listAuditEvents } from "@/lib/audit/list-audit";
import { defineApiRoute } from "../define-route";
import { apiActorSchema, toApiActor } from "./actor";
import { actorFromColumns } from "@/lib/auth/actor";

export const auditEventSchema = z.object({
  id: z.uuid(),
  action: z.string().describe("What happened, e.g. oauth.token_issued or member.removed."),
  actor: apiActorSchema.describe("Who did it."),
  actorUserId: z.uuid().nullable().describe("The account whose role applied: the user, or an application's service member or consenting user."),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const listAuditLogRoute = defineApiRoute({
  method: "GET",
  path: "/api/v1/audit-log",
  operationId: "listAuditLog",
  summary: "List the team's audit log",
  description: "Newest first, 50 events per page. Includes the sign-in events of the team's current members.",
  tag: "Audit log",
  scope: "audit.log:read",
  role: "admin",
  query: z.object({
    action: line(100).trim().min(1).optional().describe("Only events with this action, e.g. oauth.token_issued."),
    // A query string only carries text, so coercion here cannot turn a JSON `true` into 1.
    page: z.coerce.number().int("Use a whole number.").min(1, "Pages start at 1.").max(10_000).default(1).describe("Page number, from 1."),
  }),
  response: z.object({
    events: z.array(auditEventSchema),
    page: z.number().int(),
    hasNext: z.boolean().describe("Whether page + 1 has events."),
  }),
  handler: async ({ db, ctx, query }) => {
    const { events, page, hasNext } = await listAuditEvents(db, ctx, { action: query.action, page: query.page });
    return {
      events: events.map(({ actorKind, actorId, actorLabel, teamId: _teamId, ...e }) => ({
        ...e,
        actor: toApiActor(actorFromColumns({ actorKind, actorId, actorLabel, actorUserId: e.actorUserId })),
        createdAt: e.createdAt.toISOString(),
      })),
      page,
      hasNext,
    };
  },
});
