import { z } from "zod";
import { isSafeReturnPath } from "./return-path";
import { httpUrl } from "./types/common";
import { CONNECTION_TYPE_FORMS, type ConnectionFormValues, type ConnectionType, connectionInputSchema } from "./types/forms";

/**
 * The connections package's client-safe inputs: the connection form's schema (every type's, from the
 * registry in types/forms.ts), shared by the react-hook-form form, the server actions and the REST API.
 * Values stay as the form holds them (no transforms beyond trimming and dropping empty rows), so parsing
 * twice (form, then action) gives the same result.
 */

export {
  CONNECTION_TYPES,
  connectionInputSchema,
  type ConnectionFormValues,
  type ConnectionInput,
  type ConnectionType,
  type StoredConfig,
} from "./types/forms";
export { splitList } from "./types/common";

export const CONNECTION_TYPE_LABELS = Object.fromEntries(Object.entries(CONNECTION_TYPE_FORMS).map(([type, form]) => [type, form.label])) as Record<
  ConnectionType,
  string
>;

export { CONNECTION_STATUS_LABELS, CONNECTION_STATUSES, type ConnectionStatus } from "./status";

export const connectionIdSchema = z.object({ connectionId: z.uuid("Choose a connection.") });
/** Reauthorize; `returnPath`: the page a consent goes back to (the connection's page), kept with the OAuth state. */
export const returnPathSchema = z
  .string()
  .refine(isSafeReturnPath, "The return path must be a path on this site (starting with a single /), not a URL.");

export const reauthorizeSchema = connectionIdSchema.extend({ returnPath: returnPathSchema.optional() });
/**
 * Create (no connectionId) or replace (connectionId) a connection. `returnPath`: the page a consent goes
 * back to (a "New connection…" in place), kept server-side with the OAuth state.
 */
export const saveConnectionSchema = z.object({
  connectionId: z.uuid().optional(),
  input: connectionInputSchema,
  returnPath: returnPathSchema.optional(),
  /** "Save anyway": save without checking first (test on save); the stored connection is then verified. */
  skipCheck: z.boolean().default(false),
});
/** A check's result as the form gets it (test on save). */
export type SaveCheck = { ok: boolean; message: string; at: string };
/**
 * What saving from the form answers: saved (with the check that ran, or null when there was nothing to
 * check), off to the provider's consent, or not saved because the check failed (the form offers Save anyway).
 */
export type SaveConnectionOutcome =
  | { outcome: "saved"; id: string; redirectUrl: null; check: SaveCheck | null }
  | { outcome: "consent"; id: string | null; redirectUrl: string; check: null }
  | { outcome: "check_failed"; id: string | null; redirectUrl: null; check: SaveCheck & { ok: false } };
export const discoverSchema = z.object({ issuerUrl: httpUrl("the issuer URL") });
export const emptySchema = z.object({});

/**
 * The edit form's values of a stored connection: its settings, with every secret field empty (secrets are
 * never shown again and must be typed anew).
 */
export type ConnectionFormDefaults = ConnectionFormValues;
