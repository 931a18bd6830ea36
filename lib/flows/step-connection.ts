import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { connections, type FlowRow, type FlowRunRow } from "@/db/schema";
import type { TeamContext } from "@/lib/auth/team-context";
import { getCredentialProvider } from "@/lib/connections";
import { ServiceError } from "@/lib/errors/service-error";
import type { CredentialProvider } from "@/lib/http";
import { flowSlots } from "./flows";
import { parseConnectionRef, type FlowStep } from "./model";

export interface StepConnection {
  id: string;
  name: string;
  provider: CredentialProvider;
  /** Scopes the connection's grant recorded (OAuth), to name a missing one when the server refuses. */
  grantedScopes: string[] | null;
}

/** The connection a step uses in this run: fixed, or the one chosen for (or defaulted in) its slot. */
export async function resolveStepConnection(
  db: Database,
  ctx: TeamContext,
  flow: FlowRow,
  run: FlowRunRow,
  step: FlowStep,
): Promise<StepConnection | null> {
  const ref = parseConnectionRef(step.connection);
  if (!ref) throw new Error(`Step “${step.name}” names no valid connection.`);
  if (ref.type === "none") return null;
  let connectionId: string;
  if (ref.type === "connection") connectionId = ref.connectionId;
  else {
    const slot = flowSlots(flow).find((s) => s.name === ref.slot);
    const chosen = run.slotConnections[ref.slot] ?? slot?.defaultConnectionId ?? null;
    if (!chosen) throw new Error(`No connection was chosen for the slot “${ref.slot}” in this run, and the slot has no default.`);
    connectionId = chosen;
  }
  try {
    const { connection, provider } = await getCredentialProvider(db, ctx, connectionId);
    const [row] = await db
      .select({ grantedScopes: connections.grantedScopes })
      .from(connections)
      .where(and(eq(connections.id, connection.id), eq(connections.teamId, ctx.team.id)));
    return { id: connection.id, name: connection.name, provider, grantedScopes: row?.grantedScopes ?? null };
  } catch (error) {
    if (error instanceof ServiceError && error.code === "not_found") {
      const what = ref.type === "slot" ? `The connection chosen for the slot “${ref.slot}”` : "The step's connection";
      throw new Error(`${what} no longer exists.`);
    }
    throw error;
  }
}
