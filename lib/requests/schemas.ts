import { z } from "zod";
import { paginationSchema } from "@/lib/http/pagination-spec";
import { requestSpecSchema } from "@/lib/http/spec";
import { line, LIMITS } from "@/lib/validation/fields";

// Shared by the request-builder form, its route and its server actions.
export const connectionIdField = z.uuid("Choose a connection.").nullable().default(null);

export const runRequestSchema = z.object({
  connectionId: connectionIdField,
  spec: requestSpecSchema,
  pagination: paginationSchema.default({ mode: "off", maxPages: 100, output: "pages" }),
});

export const saveRequestSchema = z.object({
  name: line(LIMITS.name).trim().min(1, "Enter a name for the request."),
  connectionId: connectionIdField,
  spec: requestSpecSchema,
});

export const historyEntrySchema = z.object({ runId: z.uuid() });
export const savedRequestIdSchema = z.object({ savedRequestId: z.uuid() });

export type RunRequestInput = z.input<typeof runRequestSchema>;
export type SaveRequestInput = z.input<typeof saveRequestSchema>;
