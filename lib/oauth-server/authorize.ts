import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { oauthClients, type OAuthClientRow } from "@/db/schema";
import { issuer } from "./config";
import { echoInput, echoList, errorDescription, type OAuthErrorCode } from "./errors";
import { type ResourceBinding, resolveResource, scopeResourceMismatch, scopesForResource } from "./resources";
import { findPendingRegistration, pendingClientView } from "./registration";
import { parseScopeParam } from "./scopes";

export type AuthorizationRequest = {
  client: OAuthClientRow;
  redirectUri: string;
  redirectUriSent: boolean;
  scopes: string[];
  /** RFC 8707: the resource the tokens will be bound to; null for the REST API. */
  resource: ResourceBinding;
  state: string | null;
  codeChallenge: string;
  /** RFC 7591: the client is a dynamic registration no team has approved yet (client has no row id). */
  pendingRegistration: boolean;
  /** OpenID Connect Core §3.1.2.1 `prompt`: none (never show a page) or consent (always show it); null when absent. */
  prompt: AuthorizationPrompt;
};

export type AuthorizationPrompt = "none" | "consent" | null;

/** page: shown to the user, never redirected (the redirect URI is not trusted); redirect: back to the client. */
export type AuthorizeCheck =
  | { kind: "page"; message: string }
  | { kind: "redirect"; url: string }
  | { kind: "consent"; request: AuthorizationRequest };

/** RFC 6749 §4.1.2 and §4.1.2.1, with `iss` from RFC 9207 on every response. */
export function clientRedirect(
  redirectUri: string,
  params: { code?: string; error?: OAuthErrorCode; error_description?: string; state: string | null },
): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params))
    if (value) url.searchParams.set(key, key === "error_description" ? errorDescription(value) : value);
  url.searchParams.set("iss", issuer());
  return url.toString();
}

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Checks an authorization request in the order RFC 6749 §4.1.2.1 requires: client and redirect URI first. */
export async function checkAuthorizationRequest(db: Executor, query: URLSearchParams): Promise<AuthorizeCheck> {
  const clientId = query.get("client_id");
  if (!clientId) return { kind: "page", message: "The application did not say who it is (client_id is missing)." };
  let [client] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId));
  const pending = client ? null : await findPendingRegistration(db, clientId);
  if (pending) client = pendingClientView(pending);
  if (!client) return { kind: "page", message: "This application is not registered in Plugboard." };
  if (client.grantType !== "authorization_code") {
    return { kind: "page", message: `${client.name} is not set up for sign-in with a consent screen (it uses client credentials).` };
  }
  const requested = query.get("redirect_uri");
  if (requested !== null && !client.redirectUris.includes(requested)) {
    return { kind: "page", message: "The redirect URI the application sent is not registered for it, so you were not sent back." };
  }
  if (requested === null && client.redirectUris.length !== 1) {
    return { kind: "page", message: "The application did not send a redirect URI, and it has more than one registered." };
  }
  const redirectUri = requested ?? client.redirectUris[0];
  const state = query.get("state");
  const fail = (error: OAuthErrorCode, description: string): AuthorizeCheck => ({
    kind: "redirect",
    url: clientRedirect(redirectUri, { error, error_description: description, state }),
  });

  // An application that registered itself and waits for an admin's approval gets no code (RFC 6749 §4.1.2.1).
  if (!pending && client.approvedAt === null) {
    return fail("unauthorized_client", `${client.name.slice(0, 80)} waits for an admin of its team to approve it under Applications.`);
  }
  const repeated = [...new Set([...query.keys()])].find((key) => query.getAll(key).length > 1);
  if (repeated) return fail("invalid_request", `Parameter ${echoInput(repeated)} was sent more than once.`);
  const responseType = query.get("response_type");
  if (!responseType) return fail("invalid_request", "response_type is required.");
  if (responseType !== "code") return fail("unsupported_response_type", "Only response_type=code is supported.");
  const challenge = query.get("code_challenge");
  if (!challenge) return fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
  if (query.get("code_challenge_method") !== "S256") return fail("invalid_request", "code_challenge_method must be S256.");
  if (!CHALLENGE.test(challenge)) return fail("invalid_request", "code_challenge must be a base64url SHA-256 digest.");
  const scopes = parseScopeParam(query.get("scope"));
  if (scopes === null) return fail("invalid_scope", "The scope parameter is malformed.");
  const extra = scopes.filter((s) => !client.scopes.includes(s));
  if (extra.length > 0) return fail("invalid_scope", `Not allowed for this application: ${echoList(extra)}.`);
  const target = resolveResource(query.get("resource"));
  if (!target.ok) return fail("invalid_target", target.description);
  const granted = scopes.length ? scopes : scopesForResource(client.scopes, target.resource);
  if (granted.length === 0) return fail("invalid_scope", "The application has no scope for this resource.");
  const mismatch = scopeResourceMismatch(granted, target.resource);
  if (mismatch) return fail(target.resource ? "invalid_scope" : "invalid_target", mismatch);
  const prompt = parsePrompt(query.get("prompt"));
  if ("error" in prompt) return fail(prompt.error, prompt.description);
  return {
    kind: "consent",
    request: {
      client,
      redirectUri,
      redirectUriSent: requested !== null,
      scopes: granted,
      resource: target.resource,
      pendingRegistration: pending !== null,
      state,
      codeChallenge: challenge,
      prompt: prompt.value,
    },
  };
}

/**
 * OpenID Connect Core §3.1.2.1: `none` with any other value is an error; `login` and `select_account`
 * ask for what Plugboard cannot do inside one authorization (re-authenticate, choose among sessions),
 * so they get the errors §3.1.2.1 names for that case rather than being silently ignored.
 */
function parsePrompt(raw: string | null): { value: AuthorizationPrompt } | { error: OAuthErrorCode; description: string } {
  if (raw === null) return { value: null };
  const values = new Set(raw.split(" ").filter(Boolean));
  if (values.size === 0) return { value: null };
  if (values.has("none") && values.size > 1) return { error: "invalid_request", description: "prompt=none cannot be combined with other values." };
  if (values.has("login")) return { error: "login_required", description: "prompt=login is not supported: sign out and in again instead." };
  if (values.has("select_account")) return { error: "account_selection_required", description: "prompt=select_account is not supported." };
  const unknown = [...values].filter((v) => v !== "none" && v !== "consent");
  if (unknown.length > 0) return { error: "invalid_request", description: `Unknown prompt value: ${echoList(unknown)}.` };
  return { value: values.has("none") ? "none" : "consent" };
}
