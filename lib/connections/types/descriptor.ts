import type { FieldArrayPath, FieldPath, FieldValues } from "react-hook-form";
import type { z } from "zod";
import type { CheckScheduleChoice, HealthSchedule } from "@/lib/health/schedule";
import type { RequestSpecInput } from "@/lib/http/spec";
import type { ApplyOptions, HttpResult, OutgoingRequest } from "@/lib/http/types";
import type { AuthorizationCodeConfigInput, OAuthRequestOptions, TokenSet } from "@/lib/oauth-client";
import { CLIENT_CERTIFICATE_SECRET_FIELDS, refineClientCertificate } from "./client-certificate-form";
import { PROXY_SECRET_FIELDS, refineProxy } from "./proxy-form";
import { isRelativePath, RELATIVE_TEST_URL_NEEDS_HOST } from "./common";

/**
 * What one connection type is, in two halves so the browser never loads server code:
 * - ConnectionTypeForm (client-safe): label, help, the zod input schema shared by form, server actions and
 *   REST API, which fields are secret, and the form's field list (typed paths into the schema's input).
 * - ConnectionTypeServer (server-only, in types/<type>/server.ts): how credentials go onto a request, how
 *   tokens are obtained, what Verify checks, how cURL shows it.
 * The registries (forms.ts, registry.ts) are `Record<ConnectionType, …>`: a type missing a half, or a
 * half missing a piece, does not compile.
 */

/** The fields every type's input has (see common.ts). */
export interface CommonInput {
  name: string;
  testUrl: string;
  testMethod: "GET" | "POST" | "HEAD";
  allowedDomains: string;
  expiredStatuses: string;
  /** How often the connection is checked (lib/health/schedule.ts): "default" follows its type and Test URL. */
  checkSchedule: CheckScheduleChoice;
  /** How often a held refresh token is used to keep it alive. */
  keepAlive: HealthSchedule;
  /** When the credential (API key, password, client secret) expires: YYYY-MM-DD or empty. */
  expiresOn: string;
  /** The optional client certificate (mutual TLS), secret like the type's own secret fields. */
  tlsCertificate?: string;
  tlsPrivateKey?: string;
  tlsPkcs12?: string;
  tlsPassphrase?: string;
  /** A private CA trusted for the connection's calls (not secret). */
  tlsCaCertificate?: string;
  /** The connection's proxy (proxy-form.ts): the mode and URL in the clear, the credentials secret. */
  proxyMode?: "default" | "none" | "custom";
  proxyUrl?: string;
  proxyUsername?: string;
  proxyPassword?: string;
}

/** One key/value row of a row editor (extra parameters, headers). */
export interface KeyValueRow {
  name: string;
  value: string;
}

/** Paths of the form values whose value is of type V (typed react-hook-form paths, no `as never`). */
export type PathOf<Values extends FieldValues, V> = Values extends unknown
  ? { [P in FieldPath<Values>]: P extends keyof Values ? (Values[P] extends V ? P : never) : never }[FieldPath<Values>]
  : never;

type Shown<Values> = {
  label: string;
  hint?: string;
  /** Only shown when this holds for the current values. (A method, so a registry can hold every type's fields.) */
  when?(values: Values): boolean;
};

/** One control of a type's form, rendered by components/connections/connection-form.tsx. */
export type FormField<Values extends FieldValues> =
  | (Shown<Values> & { kind: "text"; name: PathOf<Values, string | undefined>; placeholder?: string; secret?: boolean })
  | (Shown<Values> & {
      kind: "textarea";
      name: PathOf<Values, string | undefined>;
      placeholder?: string;
      secret?: boolean;
      /** A file can be loaded into it (PEM, PKCS#12 as base64). */
      file?: { accept: string; encoding: "text" | "base64" };
    })
  | (Shown<Values> & { kind: "select"; name: PathOf<Values, string | undefined>; options: ReadonlyArray<readonly [string, string]> })
  | (Shown<Values> & { kind: "checkbox"; name: PathOf<Values, boolean | undefined> })
  | (Shown<Values> & {
      kind: "rows";
      name: Extract<FieldArrayPath<Values>, PathOf<Values, KeyValueRow[] | undefined>>;
      nameLabel: string;
      valueLabel: string;
      /** The values are secrets (password inputs, empty on edit); the names are not. */
      secret?: boolean;
    })
  /** OAuth discovery (fills endpoint fields from the issuer's metadata). */
  | { kind: "discovery"; fills: { tokenUrl?: boolean; authorizeUrl?: boolean; issuer?: boolean } }
  /** The redirect URI to register at the provider. */
  | { kind: "callback-url" }
  /** A group of controls side by side on wide screens. */
  | { kind: "row"; fields: ReadonlyArray<FormField<Values>> };

/**
 * T: the type's name; Input: the form's values (z.input of the schema); Output: the parsed input (z.output),
 * which config.ts splits into the stored config and the encrypted secrets.
 */
export interface ConnectionTypeForm<
  T extends string,
  Input extends FieldValues & { type: T },
  Output extends { type: T } & CommonInput,
  Secret extends SecretFieldOf<Input, Output> = SecretFieldOf<Input, Output>,
> {
  type: T;
  label: string;
  /** One sentence in the type picker. */
  description: string;
  /** Shown above the form, e.g. for a grant RFC 9700 advises against. */
  warning?: string;
  schema: z.ZodType<Output, Input>;
  /** The form's values for a new connection of this type. */
  defaults: Input;
  /** Encrypted at rest, never shown again, typed anew on edit. */
  secretFields: ReadonlyArray<Secret>;
  fields: ReadonlyArray<FormField<Input>>;
  /** The submit button's words; default "Save". */
  submitLabel?: string;
  /**
   * Whether a connection with these values holds an access token it renews. Present exactly when the server
   * half has `tokens` (a registry test checks they agree). A method, so the registry can hold every type's.
   */
  holdsToken?(values: Input): boolean;
}

type SecretFieldOf<Input, Output> = Exclude<keyof Output & keyof Input & string, keyof CommonInput | "type">;

/** Secret in every type: the client certificate and the proxy's credentials (the split and the masker add them to a type's own). */
export const COMMON_SECRET_FIELDS = [...CLIENT_CERTIFICATE_SECRET_FIELDS, ...PROXY_SECRET_FIELDS] as const satisfies ReadonlyArray<keyof CommonInput>;

/**
 * Checks a form descriptor against its schema: the values' types come from the schema alone (NoInfer keeps
 * `defaults` and `fields` from widening them), the type name and secret field names stay literal.
 */
export function defineConnectionForm<
  const T extends string,
  S extends z.ZodType<{ type: T } & CommonInput, FieldValues & { type: T }>,
  const Secret extends SecretFieldOf<z.input<S>, z.output<S>>,
>(
  form: ConnectionTypeForm<T, NoInfer<z.input<S>>, NoInfer<z.output<S>>, Secret> & { schema: S },
): ConnectionTypeForm<T, z.input<S>, z.output<S>, Secret> & { schema: S } {
  // The checks every type shares (the client certificate's fields go together; a relative Test URL needs the
  // on-premises Host of the types that have one) run in its form too.
  return {
    ...form,
    schema: form.schema.superRefine((v, ctx) => {
      refineClientCertificate(v, ctx);
      refineProxy(v, ctx);
      const host = "host" in v && typeof v.host === "string" ? v.host : "";
      if (isRelativePath(v.testUrl) && !host) ctx.addIssue({ code: "custom", path: ["testUrl"], message: RELATIVE_TEST_URL_NEEDS_HOST });
    }),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the registry's element type; each entry is checked by its own generic
export type AnyConnectionTypeForm = ConnectionTypeForm<string, any, any, any>;

/** What is stored in the clear for a type: its parsed input without the secret fields, plus the effective allowed hosts. */
export type ConfigOf<F extends { schema: z.ZodType; secretFields: ReadonlyArray<string> }> = Omit<
  z.output<F["schema"]>,
  F["secretFields"][number]
> & {
  allowedHosts: string[];
};

// ---------------------------------------------------------------------------------------------------------
// The server half. Only types here: this file stays importable from client components.

/** A connection's decrypted secrets: its type's secret fields by name, plus the tokens it holds. */
export interface StoredSecrets {
  [field: string]: string | undefined;
  accessToken?: string;
  refreshToken?: string;
  tokenType?: string;
}

export interface AccessToken {
  accessToken: string;
  tokenType: string;
  expiresAt: Date | null;
}

export interface ApplyContext<Config> extends ApplyOptions {
  config: Config;
  secrets: StoredSecrets;
  /** Types with tokens: the current access token, obtained or refreshed once across instances (tokens.ts). */
  accessToken(force: boolean): Promise<AccessToken>;
  /** This connection's memory between requests in this process (a Digest nonce and its count); reset on edit. */
  session: Map<string, unknown>;
}

export interface TokenContext<Config> {
  config: Config;
  secrets: StoredSecrets;
  /** For lib/oauth-client calls: the guarded fetch (with the connection's client certificate), http:// policy, masker. */
  oauth: OAuthRequestOptions;
  /** Sends a request through the guarded executor with the connection's TLS settings (a login step). */
  send(spec: RequestSpecInput): Promise<HttpResult>;
}

export interface TokenSupport<Config> {
  /**
   * "refresh": renewed with the refresh token of a consent; a refused refresh token means reauthorize.
   * "grant": asked for anew with the stored credentials whenever due (client credentials, JWT bearer, login).
   */
  renewal: "refresh" | "grant";
  /** Timeline words for a new token, e.g. "Access token issued (client credentials)". */
  issuedMessage: string;
  obtain(ctx: TokenContext<Config>): Promise<TokenSet>;
  /** The endpoints the token calls go to: their http:// policy (oauth-transport.ts). */
  endpoints(config: Config): string[];
  /** Only for connections where this holds (custom auth with its login step); default all of the type. */
  applies?(config: Config): boolean;
}

/** How the cURL export expresses the scheme: options curl computes itself, or a note when it cannot. */
export type CurlAuth =
  /** Apply the credentials to the request and show the resulting headers and query, masked (the default). */
  | { kind: "applied" }
  /** curl options (values masked where secret), e.g. ["--digest", "--user", "ann:••••"]. */
  | { kind: "options"; options: string[] }
  | { kind: "unsupported"; note: string };

export interface ConnectionTypeServer<Config> {
  /** Every URL in the config that credentials or tokens go to: the default allowed hosts. */
  urls(config: Config): string[];
  /** Relative request URLs are resolved against it (on-premises hosts). */
  baseUrl?(config: Config): string | undefined;
  apply(req: OutgoingRequest, ctx: ApplyContext<Config>): Promise<void>;
  /** A signature over method, URL and body: applied anew on each same-origin redirect hop. */
  signsEachHop?: boolean;
  /** The query parameters apply() may put a credential into (masked in every URL shown). */
  credentialQueryParams?(config: Config): string[];
  /** Forms of the secrets that would give them away besides the values themselves (the Basic pair). */
  derivedSecrets?(config: Config, secrets: StoredSecrets): string[];
  tokens?: TokenSupport<Config>;
  /** Created and reauthorized through the provider's consent in a browser (authorization code). */
  consent?: { settings(config: Config, secrets: StoredSecrets): AuthorizationCodeConfigInput };
  curl(config: Config, secrets: StoredSecrets): CurlAuth;
  /** Short facts for the list and the detail page, e.g. [{ label: "Header", value: "Authorization (Bearer)" }]. */
  summary(config: Config): Array<{ label: string; value: string }>;
}
