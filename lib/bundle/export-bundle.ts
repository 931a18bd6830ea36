import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { connections, flows, oauthClients, savedRequests } from "@/db/schema";
import { recordTeamAudit } from "@/lib/audit/record-audit";
import { requireRole, type TeamContext } from "@/lib/auth/team-context";
import { openConnectionSecrets } from "@/lib/connections/secrets";
import { readTeamVariables } from "@/lib/variables";
import { isClientAuthMethod } from "@/lib/oauth-server/client-auth-methods";
import { deriveBundleKey, newKdfParams, seal, sealCheck, sealedAad, CHECK_PLACE } from "./crypto";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle, type SecretsHeader } from "./schema";

/**
 * Export: the team's connections, saved requests, flows, Applications and variables as one bundle. Without a
 * passphrase the connections are stubs (every non-secret field); with one, each connection's secrets are
 * sealed under a key derived from it. The passphrase is used here and forgotten: never stored or logged.
 */
export async function exportTeamBundle(db: Executor, ctx: TeamContext, options: { passphrase?: string } = {}): Promise<Bundle> {
  requireRole(ctx, "admin");
  const exportedAt = new Date().toISOString();
  const header = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, exportedAt } as const;
  let secrets: SecretsHeader = { mode: "none" };
  let sealFor: ((place: string, plaintext: string) => Bundle["connections"][number]["secrets"]) | null = null;
  if (options.passphrase !== undefined) {
    const kdf = newKdfParams();
    const key = await deriveBundleKey(options.passphrase, kdf);
    secrets = { mode: "passphrase", kdf, cipher: "aes-256-gcm", check: sealCheck(key, sealedAad({ ...header, kdf }, CHECK_PLACE)) };
    sealFor = (place, plaintext) => seal(key, plaintext, sealedAad({ ...header, kdf }, place));
  }

  const team = eq(connections.teamId, ctx.team.id);
  const connectionRows = await db
    .select()
    .from(connections)
    .where(team)
    .orderBy(asc(sql`lower(${connections.name})`));
  const requestRows = await db.select().from(savedRequests).where(eq(savedRequests.teamId, ctx.team.id)).orderBy(asc(savedRequests.name));
  const flowRows = await db
    .select()
    .from(flows)
    .where(eq(flows.teamId, ctx.team.id))
    .orderBy(asc(sql`lower(${flows.name})`));
  // System clients are Plugboard's own (created by the instance itself), not the team's setup.
  const clientRows = (await db.select().from(oauthClients).where(eq(oauthClients.teamId, ctx.team.id)).orderBy(asc(oauthClients.name))).filter(
    (c) => c.configuredBy === "customer",
  );

  const variableRows = await readTeamVariables(db, ctx);

  const bundle: Bundle = {
    ...header,
    team: ctx.team.name,
    secrets,
    connections: connectionRows.map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      config: row.config,
      expiredStatuses: row.expiredStatuses,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      tokenExpiresAt: row.tokenExpiresAt?.toISOString() ?? null,
      tokenIssuedAt: row.tokenIssuedAt?.toISOString() ?? null,
      grantedScopes: row.grantedScopes,
      ...(sealFor && { secrets: sealFor(connectionPlace(row.id), JSON.stringify(openConnectionSecrets(row))) }),
    })),
    savedRequests: requestRows.map((row) => ({ id: row.id, name: row.name, connectionId: row.connectionId, spec: row.spec })),
    flows: flowRows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      sampleInput: row.sampleInput,
      slots: row.slots as Bundle["flows"][number]["slots"],
      steps: row.steps as Bundle["flows"][number]["steps"],
      active: row.active,
      scheduleCron: row.scheduleCron,
      scheduleTimezone: row.scheduleTimezone,
      hadWebhook: row.webhookTokenHash !== null,
      webhookWaitForResult: row.webhookWaitForResult,
      maxConcurrentRuns: row.maxConcurrentRuns,
      runRetries: row.runRetries,
      runTimeoutSeconds: row.runTimeoutSeconds,
      retentionDays: row.retentionDays,
    })),
    applications: clientRows.map((row) => ({
      id: row.id,
      name: row.name,
      grantType: row.grantType === "authorization_code" ? "authorization_code" : "client_credentials",
      authMethod: isClientAuthMethod(row.authMethod) ? row.authMethod : "client_secret_basic",
      jwks: row.authMethod === "private_key_jwt" ? row.jwks : null,
      jwksUri: row.authMethod === "private_key_jwt" ? row.jwksUri : null,
      redirectUris: row.redirectUris,
      scopes: row.scopes,
      role: row.role,
      accessTokenFormat: row.accessTokenFormat === "jwt" ? "jwt" : "opaque",
      secretLifetimeDays: row.secretLifetimeDays,
      accessTokenTtlSeconds: row.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: row.refreshTokenTtlSeconds,
    })),
    // A plain value as it is; a secret one sealed like a connection's secrets, or left out without a passphrase.
    variables: variableRows.map((row) => ({
      id: row.id,
      name: row.name,
      isSecret: row.secret,
      ...(!row.secret && { value: row.value ?? "" }),
      ...(row.secret && row.value !== null && sealFor && { secret: sealFor(variablePlace(row.id), row.value) }),
    })),
  };
  await recordTeamAudit(db, ctx, { action: "team.exported", target: { type: "team", id: ctx.team.id }, metadata: bundleCounts(bundle) });
  return bundle;
}

export const connectionPlace = (bundleId: string) => `connection:${bundleId}`;
export const variablePlace = (bundleId: string) => `variable:${bundleId}`;

/** What an audit row says about a bundle: counts and the mode, never a name or a secret. */
export function bundleCounts(bundle: Bundle) {
  return {
    withSecrets: bundle.secrets.mode === "passphrase",
    connections: bundle.connections.length,
    savedRequests: bundle.savedRequests.length,
    flows: bundle.flows.length,
    applications: bundle.applications.length,
    variables: bundle.variables?.length ?? 0,
  };
}
