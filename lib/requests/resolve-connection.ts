import "server-only";
import type { Database } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { getCredentialProvider } from "@/lib/connections";
import type { RunConnection } from "./run-request";

/** The team's connection with its credentials ready to apply, or null for a request without one. */
export async function resolveRunConnection(db: Database, ctx: TeamContext, connectionId: string | null): Promise<RunConnection | null> {
  if (!connectionId) return null;
  const { connection, provider } = await getCredentialProvider(db, ctx, connectionId);
  return { id: connection.id, name: connection.name, provider };
}
