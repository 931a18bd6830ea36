import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db";
import { ssoProviderConfigs } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireInstanceAdmin } from "@/lib/auth/instance-admin";
import { userActor, type Actor } from "@/lib/auth/team-context";
import { getKeyring } from "@/lib/connections/secrets";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { authProviderId, ssoProviders, type SsoProviderSource } from "./config";
import { ssoProviderSchema, type SsoProvider, type SsoProviderFormValues } from "./provider-schema";
import { ssoProviderAad } from "./provider-aad";
import { discoveryProblem } from "./sso-fetch";
import { ssoOnlyEnabled } from "./sign-in-settings";

/**
 * Providers added on the admin page, next to those of PLUGBOARD_OIDC_PROVIDERS. Stored as their parsed
 * settings plus the client secret sealed with AES-256-GCM (the provider id as associated data, the key id
 * kept for rotation). An id the environment uses belongs to the environment: it cannot be stored.
 */

/** At most this many providers in all (the environment's and the stored ones): each is a button and a provider Auth.js builds per request. */
export const MAX_SSO_PROVIDERS = 20;

export type SourcedSsoProvider = { provider: SsoProvider; source: SsoProviderSource };

// Decrypting every stored secret at every Auth.js configuration is cheap but pointless: by envelope.
const openedSecrets = new Map<string, string>();

function openSecret(id: string, blob: string): string {
  const key = `${id}|${blob}`;
  const known = openedSecrets.get(key);
  if (known !== undefined) return known;
  const secret = decryptJson<string>(getKeyring(), blob, ssoProviderAad(id));
  if (openedSecrets.size >= 4 * MAX_SSO_PROVIDERS) openedSecrets.clear();
  openedSecrets.set(key, secret);
  return secret;
}

function sealSsoSecret(id: string, secret: string): { clientSecret: string; keyId: string } {
  const keyring = getKeyring();
  return { clientSecret: encryptJson(keyring, secret, ssoProviderAad(id)), keyId: keyring.currentKeyId };
}

/** The stored providers, secrets opened; a row that no longer parses or decrypts is left out (logged by id only). */
async function storedSsoProviders(db: Executor): Promise<SsoProvider[]> {
  const rows = await db.select().from(ssoProviderConfigs).orderBy(asc(ssoProviderConfigs.createdAt), asc(ssoProviderConfigs.id));
  const out: SsoProvider[] = [];
  for (const row of rows) {
    try {
      out.push(ssoProviderSchema.parse({ ...row.settings, id: row.id, clientSecret: openSecret(row.id, row.clientSecret) }));
    } catch (error) {
      console.error(`[plugboard] SSO provider ${row.id} is unusable: ${error instanceof Error ? error.name : "error"}`);
    }
  }
  return out;
}

/** Every provider sign-in accepts: the environment's first, then the admin page's. */
export async function allSsoProviders(db: Executor): Promise<SourcedSsoProvider[]> {
  const fromEnv = ssoProviders();
  const envIds = new Set(fromEnv.map((p) => p.id));
  const stored = (await storedSsoProviders(db)).filter((p) => !envIds.has(p.id));
  return [
    ...fromEnv.map((provider) => ({ provider, source: "environment" as const })),
    ...stored.map((provider) => ({ provider, source: "admin" as const })),
  ];
}

/** The provider behind Auth.js's id `oidc-<id>`, from either source. */
export async function findSsoProvider(db: Executor, authId: string): Promise<SsoProvider | undefined> {
  return (await allSsoProviders(db)).find(({ provider }) => authProviderId(provider) === authId)?.provider;
}

/** A provider as the admin page shows it: every setting but the secret. */
export type SsoProviderListing = Omit<SsoProvider, "clientSecret"> & { source: SsoProviderSource };

export async function listSsoProvidersForAdmin(db: Executor, actor: Actor): Promise<SsoProviderListing[]> {
  await requireInstanceAdmin(db, actor.id);
  return (await allSsoProviders(db)).map(({ provider: { clientSecret: _secret, ...settings }, source }) => ({ ...settings, source }));
}

/**
 * Adds or edits a stored provider. Its issuer's discovery is checked first, through the guarded dispatcher
 * and outside any transaction; a failure is an error on the Issuer URL field.
 */
export async function saveSsoProvider(
  db: Database,
  actor: Actor,
  input: SsoProviderFormValues,
  ip: string | null,
  doFetch?: typeof fetch,
): Promise<{ id: string }> {
  await requireInstanceAdmin(db, actor.id);
  const { editing, clientSecret, ...settings } = input;
  if (ssoProviders().some((p) => p.id === input.id)) {
    throw new ServiceError("That provider comes from PLUGBOARD_OIDC_PROVIDERS: change it there.", "conflict", {
      id: "This id is used by a provider from the environment.",
    });
  }
  const [existing] = await db.select().from(ssoProviderConfigs).where(eq(ssoProviderConfigs.id, input.id));
  if (editing && !existing) throw new NotFoundError("That provider");
  if (!editing && existing) throw new ServiceError("Check the highlighted fields.", "conflict", { id: "A provider with this id exists." });
  if (!existing) {
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(ssoProviderConfigs);
    if (Number(count?.n ?? 0) + ssoProviders().length >= MAX_SSO_PROVIDERS) {
      throw new ServiceError(`At most ${MAX_SSO_PROVIDERS} providers can be configured.`, "conflict");
    }
  }
  const { id, ...stored } = settings;
  // An edit with an empty secret keeps the stored one.
  const sealed = clientSecret ? sealSsoSecret(id, clientSecret) : null;
  if (!existing && !sealed) throw new ServiceError("Check the highlighted fields.", "invalid", { clientSecret: "Enter the client secret." });
  const problem = await discoveryProblem(settings.issuer, doFetch);
  if (problem) throw new ServiceError("The issuer could not be used.", "invalid", { issuer: problem });

  await db.transaction(async (tx) => {
    if (existing) {
      await tx
        .update(ssoProviderConfigs)
        .set({ settings: stored, ...sealed, updatedAt: new Date() })
        .where(eq(ssoProviderConfigs.id, id));
    } else if (sealed) {
      await tx.insert(ssoProviderConfigs).values({ id, settings: stored, ...sealed });
    }
    await recordAudit(tx, {
      teamId: null,
      actor: userActor(actor),
      action: existing ? "sso.provider_changed" : "sso.provider_added",
      target: { type: "sso_provider", id },
      // Never the secret: only whether it was replaced.
      metadata: { provider: id, issuer: settings.issuer, secretChanged: !!clientSecret },
      ip,
    });
  });
  return { id };
}

/** Deletes a stored provider; refused when SSO-only mode would be left without any provider. */
export async function deleteSsoProvider(db: Database, actor: Actor, id: string, ip: string | null): Promise<void> {
  await requireInstanceAdmin(db, actor.id);
  await db.transaction(async (tx) => {
    const [removed] = await tx.delete(ssoProviderConfigs).where(eq(ssoProviderConfigs.id, id)).returning({ id: ssoProviderConfigs.id });
    if (!removed) throw new NotFoundError("That provider");
    if ((await ssoOnlyEnabled(tx)) && (await allSsoProviders(tx)).length === 0) {
      throw new ServiceError("Password sign-in is off (SSO only): turn it back on before deleting the last provider.", "conflict");
    }
    await recordAudit(tx, {
      teamId: null,
      actor: userActor(actor),
      action: "sso.provider_deleted",
      target: { type: "sso_provider", id },
      metadata: { provider: id },
      ip,
    });
  });
}
