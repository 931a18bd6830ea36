import { z } from "zod";
import { ForbiddenError, NotFoundError, ServiceError } from "@/lib/errors/service-error";
import { patchApplication } from "@/lib/oauth-server/application-settings";
import { checkClientKeys, clientKeyColumns, MAX_CLIENT_KEYS } from "@/lib/oauth-server/client-keys-schema";
import { addClientSecret, isSecretActive, listClientSecrets, revokeClientSecret, type ClientSecretView } from "@/lib/oauth-server/client-secrets";
import { createApplication, deleteApplication, listApplications, regenerateClientSecret } from "@/lib/oauth-server/clients";
import { secretLifetimeDays, tokenLifetimes } from "@/lib/oauth-server/config";
import { CLIENT_AUTH_METHOD_NAMES, createApplicationSchema } from "@/lib/oauth-server/schemas";
import { SCOPE_NAMES } from "@/lib/oauth-server/scopes";
import type { Executor } from "@/db";
import type { TeamContext } from "@/lib/auth/team-context";
import { defineApiRoute } from "../define-route";

// The team's Applications (OAuth clients) through the REST API: what the Applications page shows and
// changes. A client secret is in the answer that creates it only; afterwards only its dates are shown.

const jwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_CLIENT_KEYS) })
  .describe("private_key_jwt: the application's public keys as a JWK Set (RSA, EC or OKP; no private members).");
const jwksUriSchema = z.string().max(2048).describe("private_key_jwt: the https URL the application publishes its JWK Set at.");
const lifetimeFields = {
  secretLifetimeDays: z.int().min(1).max(3650).nullable().describe("Days each new secret lives; null: the instance default."),
  accessTokenTtlSeconds: z.int().min(60).max(86_400).nullable().describe("Access token lifetime; null: the instance default."),
  refreshTokenTtlSeconds: z
    .int()
    .min(60)
    .max(365 * 86_400)
    .nullable()
    .describe("Refresh token lifetime; null: the instance default."),
};

const secretSchema = z.object({
  id: z.uuid(),
  status: z.enum(["active", "expired", "revoked"]),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

const applicationSchema = z.object({
  id: z.uuid(),
  clientId: z.string(),
  name: z.string(),
  configuredBy: z
    .string()
    .describe(
      "customer, or system for clients Plugboard made itself: PATCH, secrets and DELETE answer 409 for them (the owner of a personal access token may DELETE it).",
    ),
  systemKind: z.string().nullable().describe("For a system client: personal_access_token or api_docs (the API documentation's Try it)."),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable().describe("A personal access token's owner, whose current role its token acts with."),
  registration: z.string().describe("manual, or dynamic (RFC 7591)."),
  grantType: z.string(),
  authMethod: z.string().describe("client_secret_basic, client_secret_post or private_key_jwt."),
  jwks: jwksSchema.nullable(),
  jwksUri: z.string().nullable(),
  accessTokenFormat: z.string().describe("opaque or jwt (RFC 9068)."),
  redirectUris: z.array(z.string()),
  scopes: z.array(z.string()),
  role: z.string().describe("Client credentials: the role the application acts with."),
  ...lifetimeFields,
  effective: z
    .object({ secretLifetimeDays: z.int().nullable(), accessTokenTtlSeconds: z.int(), refreshTokenTtlSeconds: z.int() })
    .describe("The lifetimes that apply, the instance defaults filled in."),
  activeSecrets: z.int(),
  createdAt: z.iso.datetime(),
  approvedAt: z.iso
    .datetime()
    .nullable()
    .describe("null: a dynamic registration waiting for an admin's approval (it gets no code or token until then)."),
  approvedBy: z.string().nullable().describe("The name of the user who approved a dynamic registration."),
  lastUsedAt: z.iso.datetime().nullable(),
});

type ApplicationRow = Awaited<ReturnType<typeof listApplications>>[number];

function toApi(row: ApplicationRow): z.input<typeof applicationSchema> {
  const lifetimes = tokenLifetimes(row);
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    configuredBy: row.configuredBy,
    systemKind: row.systemKind,
    owner: row.ownerUserId ? { id: row.ownerUserId, name: row.ownerName ?? "" } : null,
    registration: row.registration,
    grantType: row.grantType,
    authMethod: row.authMethod,
    jwks: row.jwks,
    jwksUri: row.jwksUri,
    accessTokenFormat: row.accessTokenFormat,
    redirectUris: row.redirectUris,
    scopes: row.scopes,
    role: row.role,
    secretLifetimeDays: row.secretLifetimeDays,
    accessTokenTtlSeconds: row.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: row.refreshTokenTtlSeconds,
    effective: {
      secretLifetimeDays: secretLifetimeDays(row),
      accessTokenTtlSeconds: lifetimes.accessSeconds,
      refreshTokenTtlSeconds: lifetimes.refreshSeconds,
    },
    activeSecrets: row.activeSecrets,
    createdAt: row.createdAt.toISOString(),
    approvedAt: row.approvedAt?.toISOString() ?? null,
    approvedBy: row.approvedByName,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

const secretToApi = (s: ClientSecretView): z.input<typeof secretSchema> => ({
  id: s.id,
  status: s.revokedAt ? "revoked" : isSecretActive(s) ? "active" : "expired",
  createdAt: s.createdAt.toISOString(),
  expiresAt: s.expiresAt?.toISOString() ?? null,
  lastUsedAt: s.lastUsedAt?.toISOString() ?? null,
  revokedAt: s.revokedAt?.toISOString() ?? null,
});

async function oneApplication(db: Executor, ctx: TeamContext, id: string) {
  const [row] = await listApplications(db, ctx, id);
  if (!row) throw new NotFoundError("That application");
  return toApi(row);
}

const idParams = z.object({ id: z.uuid("Not an application id.") });
const secretParams = z.object({ id: z.uuid("Not an application id."), secretId: z.uuid("Not a secret id.") });

const createBody = z.object({
  name: z.string().max(80),
  grantType: z.enum(["client_credentials", "authorization_code"]).default("client_credentials"),
  redirectUris: z.array(z.string().max(2048)).max(20).default([]).describe("Authorization code: the exact redirect URIs."),
  authMethod: z.enum(CLIENT_AUTH_METHOD_NAMES).default("client_secret_basic"),
  jwks: jwksSchema.optional(),
  jwksUri: jwksUriSchema.optional(),
  scopes: z.array(z.enum(SCOPE_NAMES)).min(1).describe("At most the scopes the calling token holds."),
  role: z.enum(["member", "admin"]).default("member"),
  accessTokenFormat: z.enum(["opaque", "jwt"]).default("opaque"),
});

const patchBody = z
  .object({
    secretLifetimeDays: lifetimeFields.secretLifetimeDays.optional(),
    accessTokenTtlSeconds: lifetimeFields.accessTokenTtlSeconds.optional(),
    refreshTokenTtlSeconds: lifetimeFields.refreshTokenTtlSeconds.optional(),
    accessTokenFormat: z.enum(["opaque", "jwt"]).optional().describe("For tokens issued from now on."),
    authMethod: z.enum(CLIENT_AUTH_METHOD_NAMES).optional().describe("With private_key_jwt, give jwks or jwksUri too."),
    jwks: jwksSchema.optional(),
    jwksUri: jwksUriSchema.optional(),
  })
  .superRefine((value, issue) => {
    if (!value.authMethod) {
      if (value.jwks || value.jwksUri)
        issue.addIssue({ code: "custom", path: ["authMethod"], message: "Send authMethod private_key_jwt with the keys." });
      return;
    }
    checkClientKeys(keyText(value.authMethod, value), issue);
  });

/** The key fields as the shared schema (and the Applications form) hold them: the JWK Set as JSON text. */
const keyText = (authMethod: string, value: { jwks?: unknown; jwksUri?: string }) => ({
  authMethod,
  jwks: value.jwks ? JSON.stringify(value.jwks) : "",
  jwksUri: value.jwksUri ?? "",
});

const read = { tag: "Applications", scope: "applications:read", role: "admin" } as const;
const write = { tag: "Applications", scope: "applications:write", role: "admin" } as const;

export const listApplicationsRoute = defineApiRoute({
  ...read,
  method: "GET",
  path: "/api/v1/applications",
  operationId: "listApplications",
  summary: "List the team's Applications (OAuth clients), never a secret",
  response: z.object({ applications: z.array(applicationSchema) }),
  handler: async ({ db, ctx }) => ({ applications: (await listApplications(db, ctx)).map(toApi) }),
});

export const getApplicationRoute = defineApiRoute({
  ...read,
  method: "GET",
  path: "/api/v1/applications/{id}",
  operationId: "getApplication",
  summary: "Read one Application with its secrets' dates and states",
  params: idParams,
  response: z.object({ application: applicationSchema, secrets: z.array(secretSchema) }),
  handler: async ({ db, ctx, params }) => ({
    application: await oneApplication(db, ctx, params.id),
    secrets: (await listClientSecrets(db, ctx, params.id)).map(secretToApi),
  }),
});

export const createApplicationRoute = defineApiRoute({
  ...write,
  method: "POST",
  path: "/api/v1/applications",
  operationId: "createApplication",
  summary: "Register an Application; its client secret is in this answer only",
  body: createBody,
  status: 201,
  response: z.object({ application: applicationSchema, clientSecret: z.string().describe("Shown once: only its hash is kept.") }),
  handler: async ({ db, ctx, principal, body }) => {
    // A token cannot mint an application stronger than itself.
    const beyond = body.scopes.filter((scope) => !principal.scopes.includes(scope));
    if (beyond.length) throw new ForbiddenError(`This token does not hold ${beyond.join(", ")}, so it cannot give them to an application.`);
    const input = createApplicationSchema.safeParse({
      ...body,
      redirectUris: body.redirectUris.join("\n"),
      ...keyText(body.authMethod, body),
    });
    if (!input.success) {
      const fields: Record<string, string> = {};
      for (const issue of input.error.issues) fields[issue.path.join(".")] ??= issue.message;
      throw new ServiceError("Some fields are invalid.", "invalid", fields);
    }
    const created = await createApplication(db, ctx, input.data);
    return { application: await oneApplication(db, ctx, created.id), clientSecret: created.clientSecret };
  },
});

export const updateApplicationRoute = defineApiRoute({
  ...write,
  method: "PATCH",
  path: "/api/v1/applications/{id}",
  operationId: "updateApplication",
  summary: "Change an Application's lifetimes, access token format or authentication method and keys (absent fields are kept)",
  description: "409 for a system-configured application: Plugboard manages it.",
  params: idParams,
  body: patchBody,
  response: z.object({ application: applicationSchema }),
  handler: async ({ db, ctx, params, body }) => {
    const { authMethod, jwks: _jwks, jwksUri: _jwksUri, ...settings } = body;
    const auth = authMethod ? { authMethod, ...clientKeyColumns(keyText(authMethod, body)) } : undefined;
    await patchApplication(db, ctx, params.id, { ...settings, auth });
    return { application: await oneApplication(db, ctx, params.id) };
  },
});

export const deleteApplicationRoute = defineApiRoute({
  ...write,
  method: "DELETE",
  path: "/api/v1/applications/{id}",
  operationId: "deleteApplication",
  summary: "Delete an Application and revoke every token it holds",
  description: "409 for a system-configured application, except a personal access token deleted by its owner (which revokes it).",
  params: idParams,
  response: z.null(),
  status: 204,
  handler: async ({ db, ctx, params }) => {
    await deleteApplication(db, ctx, params.id);
    return null;
  },
});

export const listApplicationSecretsRoute = defineApiRoute({
  ...read,
  method: "GET",
  path: "/api/v1/applications/{id}/secrets",
  operationId: "listApplicationSecrets",
  summary: "List an Application's secrets (dates and states, never the values), newest first",
  params: idParams,
  response: z.object({ secrets: z.array(secretSchema) }),
  handler: async ({ db, ctx, params }) => {
    await oneApplication(db, ctx, params.id);
    return { secrets: (await listClientSecrets(db, ctx, params.id)).map(secretToApi) };
  },
});

export const addApplicationSecretRoute = defineApiRoute({
  ...write,
  method: "POST",
  path: "/api/v1/applications/{id}/secrets",
  operationId: "addApplicationSecret",
  summary: "Add a secret beside the active ones (rotation with overlap); its value is in this answer only",
  description: "409 when the application already has the most active secrets allowed (PLUGBOARD_OAUTH_MAX_CLIENT_SECRETS).",
  params: idParams,
  status: 201,
  response: z.object({ secret: secretSchema, clientSecret: z.string().describe("Shown once: only its hash is kept.") }),
  handler: async ({ db, ctx, params }) => {
    const added = await addClientSecret(db, ctx, params.id);
    const view = { id: added.id, createdAt: added.createdAt, expiresAt: added.expiresAt, lastUsedAt: null, revokedAt: null };
    return { secret: secretToApi(view), clientSecret: added.secret };
  },
});

export const revokeApplicationSecretRoute = defineApiRoute({
  ...write,
  method: "DELETE",
  path: "/api/v1/applications/{id}/secrets/{secretId}",
  operationId: "revokeApplicationSecret",
  summary: "Revoke one secret at once (409 for the last active one: add another first)",
  params: secretParams,
  response: z.null(),
  status: 204,
  handler: async ({ db, ctx, params }) => {
    await revokeClientSecret(db, ctx, params.id, params.secretId);
    return null;
  },
});

export const regenerateApplicationSecretRoute = defineApiRoute({
  ...write,
  method: "POST",
  path: "/api/v1/applications/{id}/regenerate-secret",
  operationId: "regenerateApplicationSecret",
  summary: "Replace every secret at once with a new one (its value in this answer only); optionally revoke every token issued to the Application",
  description: "To switch without downtime, add a secret and revoke the old one instead.",
  params: idParams,
  body: z.object({ revokeTokens: z.boolean().default(false).describe("Also revoke every live access and refresh token issued to the Application.") }),
  response: z.object({ clientSecret: z.string().describe("Shown once: only its hash is kept."), revokedTokens: z.int() }),
  handler: async ({ db, ctx, params, body }) => {
    const { clientSecret, revokedTokens } = await regenerateClientSecret(db, ctx, params.id, { revokeTokens: body.revokeTokens });
    return { clientSecret, revokedTokens };
  },
});
