import { z } from "zod";
import { paginationSchema } from "@/lib/http/pagination-spec";
import { requestSpecSchema } from "@/lib/http/spec";
import { line, LIMITS } from "@/lib/validation/fields";

// Shared by the request-builder form, its route and its server actions.
export const connectionIdField = z.uuid("Choose a connection.").nullable().default(null);

/** A request-builder session (a browser tab's random id), whose cookie jar "Keep cookies between requests" uses. */
export const builderSessionField = z.uuid("The builder session must be a UUID.");

export const runRequestSchema = z.object({
  connectionId: connectionIdField,
  spec: requestSpecSchema,
  pagination: paginationSchema.default({ mode: "off", maxPages: 100, output: "pages" }),
  /** Null: no cookie jar (each request on its own, the default). */
  cookieSession: builderSessionField
    .nullable()
    .default(null)
    .describe(
      "A session id of your choosing (a UUID): runs naming the same one share a cookie jar, yours alone in this team, kept an hour " +
        "after its last use. Cookie values are masked in the result. Null: no jar.",
    ),
});

export const builderSessionSchema = z.object({ session: builderSessionField });

export const saveRequestSchema = z.object({
  name: line(LIMITS.name).trim().min(1, "Enter a name for the request."),
  connectionId: connectionIdField,
  spec: requestSpecSchema,
});

export const historyEntrySchema = z.object({ runId: z.uuid() });
export const savedRequestIdSchema = z.object({ savedRequestId: z.uuid() });

export type RunRequestInput = z.input<typeof runRequestSchema>;
export type SaveRequestInput = z.input<typeof saveRequestSchema>;
