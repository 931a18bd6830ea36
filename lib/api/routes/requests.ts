import { z } from "zod";
import { runRequest } from "@/lib/requests";
import { resolveRunConnection } from "@/lib/requests/resolve-connection";
import { runRequestSchema } from "@/lib/requests/schemas";
import { defineApiRoute } from "../define-route";

const runResultSchema = z.looseObject({
  runId: z.uuid().describe("The run's id in the team's request history."),
  ok: z.boolean().describe("true when a response arrived (any status); false with kind and message otherwise."),
  status: z.number().int().optional(),
  statusText: z.string().optional(),
  headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  body: z
    .looseObject({ type: z.enum(["json", "text", "binary", "file"]) })
    .optional()
    .describe("json: value; text: value; binary: base64 and contentType; file: size and downloadUrl."),
  protocol: z.enum(["HTTP/1.1", "HTTP/2"]).optional().describe("The HTTP version the response came on (HTTP/2 when a TLS server offered it)."),
  cookies: z
    .array(
      z.object({
        name: z.string(),
        value: z.string(),
        domain: z.string(),
        path: z.string(),
        hostOnly: z.boolean(),
        secure: z.boolean(),
        httpOnly: z.boolean(),
        expires: z.string().optional(),
      }),
    )
    .optional()
    .describe("With cookieSession: the session's cookie jar after the run (values always ••••••)."),
  kind: z.string().optional().describe("Why the request failed: dns, timeout, tls, address_guard, host_not_allowed, …"),
  message: z.string().optional(),
  timings: z
    .object({
      totalMs: z.number(),
      ttfbMs: z.number().optional(),
      exchanges: z.array(z.unknown()).optional(),
      waits: z.array(z.unknown()).optional(),
    })
    .optional()
    .describe(
      "totalMs and ttfbMs; exchanges: every request sent (attempt, redirect hop, page) with its phases dns, connect, tls, ttfb, " +
        "download (startMs and durationMs from the run's start; none of dns/connect/tls when reusedConnection); waits: retry delays.",
    ),
});

export const runRequestRoute = defineApiRoute({
  method: "POST",
  path: "/api/v1/requests/run",
  operationId: "runRequest",
  summary: "Run an HTTP request with a connection's credentials",
  description:
    "Runs the request on the server through the same executor as the request builder (address guard, allowed domains, " +
    "token refresh, retries, pagination). Connection secrets are masked in the result.",
  tag: "Requests",
  scope: "requests:run",
  outbound: true,
  body: runRequestSchema,
  bodyLimit: "upload",
  response: runResultSchema,
  handler: async ({ db, ctx, body, request }) => {
    const connection = await resolveRunConnection(db, ctx, body.connectionId);
    return runRequest(
      db,
      ctx,
      { spec: body.spec, connection, pagination: body.pagination, cookieSession: body.cookieSession },
      { signal: request.signal },
    );
  },
});
