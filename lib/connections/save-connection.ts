import "server-only";
import type { Database } from "@/db";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { ServiceError } from "@/lib/errors/service-error";
import { assertClientCertificate, assertNameFree, createConnection, loadConnectionRow, replaceConnection } from "./connections";
import { assertConnectionVariables, variablesForConnection } from "./connection-variables";
import { checkDraft, checksOnSave } from "./draft-check";
import type { ConnectionInput } from "./schemas";
import { connectionType } from "./types/registry";
import { verifyConnection } from "./verify-connection";

/**
 * Saving a connection from the form (and the REST API with ?verify=true): types that get their own tokens,
 * and any connection with a Test URL, are checked first, as Verify would check them. A failed check saves
 * nothing (an edit keeps the stored connection) and says why; "Save anyway" (`check: false`) saves, then
 * runs Verify on the stored connection so its status tells the truth about the credentials.
 */

export type SaveCheckResult = { ok: boolean; message: string; at: Date };

export type SaveConnectionResult =
  /** `check`: the check that ran (passed, or failed after Save anyway); null when there is nothing to check. */
  | { saved: true; id: string; check: SaveCheckResult | null }
  /** The check failed: nothing was saved. */
  | { saved: false; check: SaveCheckResult & { ok: false } };

export async function saveConnection(
  db: Database,
  ctx: TeamContext,
  request: { connectionId?: string; input: ConnectionInput; check: boolean },
): Promise<SaveConnectionResult> {
  const { connectionId, input } = request;
  requireRole(ctx, "member");
  if (connectionType(input.type).server.consent) throw new ServiceError("Authorization-code connections are saved through the provider's consent.");
  // What would refuse the save anyway is said before anything is sent.
  assertClientCertificate(input);
  if (connectionId) await loadConnectionRow(db, ctx, connectionId);
  await assertNameFree(db, ctx, input.name, connectionId);
  // {{vars.NAME}} in the Test URL or Host: each must name one of the team's variables (a field error otherwise).
  await assertConnectionVariables(db, ctx.team.id, input);

  const checks = checksOnSave(input);
  if (checks && request.check) {
    // No transaction is open during the check: it may wait for a token endpoint or a Test URL.
    const outcome = await checkDraft(input, ctx.team.id, await variablesForConnection(db, ctx.team.id, input));
    const at = new Date();
    if (!outcome.ok) return { saved: false, check: { ok: false, message: outcome.message, at } };
    const lastVerify = { at, ok: true as const, message: outcome.message };
    const { id } = connectionId
      ? await replaceConnection(db, ctx, connectionId, input, { status: "verified", lastVerify })
      : await createConnection(db, ctx, input, lastVerify);
    return { saved: true, id, check: lastVerify };
  }
  const { id } = connectionId ? await replaceConnection(db, ctx, connectionId, input) : await createConnection(db, ctx, input);
  if (!checks) return { saved: true, id, check: null };
  // Saved anyway: the stored connection is verified (status, audit, token timeline) so it shows its failure.
  const verified = await verifyConnection(db, ctx, id);
  return { saved: true, id, check: verified };
}
