import { z } from "zod";
import { line, text } from "@/lib/validation/fields";

/** MCP tool names (the spec's advice: letters, digits, _ and -, at most 64). */
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const INPUT_SCHEMA_MAX = 16 * 1024;

/** What an admin fills in to offer a saved request or a flow as a tool; shared by the form and the server. */
export const mcpToolSchema = z.object({
  target: line(80).regex(/^(request|flow):[0-9a-f-]{36}$/i, "Choose a saved request or a flow."),
  name: line(64).trim().regex(TOOL_NAME, "Use 1 to 64 letters, digits, _ or - (e.g. get_customer)."),
  description: text(2000).trim().min(1, "Describe for the model what the tool does and when to use it."),
  consentText: line(300).trim().min(1, "Say for people what the tool does (e.g. Look up a customer in the CRM); the consent screen shows it."),
  inputSchema: text(INPUT_SCHEMA_MAX)
    .trim()
    .refine((value) => {
      try {
        const parsed: unknown = JSON.parse(value);
        return Boolean(parsed) && typeof parsed === "object" && (parsed as { type?: unknown }).type === "object";
      } catch {
        return false;
      }
    }, 'Enter a JSON Schema object with "type": "object".'),
});

export type McpToolInput = z.input<typeof mcpToolSchema>;

export const mcpToolIdSchema = z.object({ toolId: z.uuid("That tool was not found.") });

/** The team's setting: dynamic registrations a member allows wait for an admin's approval. */
export const registrationApprovalSchema = z.object({ needApproval: z.boolean() });
