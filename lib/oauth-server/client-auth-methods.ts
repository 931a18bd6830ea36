/**
 * The client authentication methods an application can be registered for (RFC 6749 §2.3.1, and RFC 7523
 * §2.2's private_key_jwt), each with
 * what it means on the wire: the token endpoint names it when a client uses the other one, and the
 * "Application created" dialog shows a curl command that sends it.
 */
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt";

/** RFC 7523 §2.2: the client_assertion_type of a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

type ClientAuthMethodDescriptor = {
  label: string;
  /** How a request carries the credentials, in words (RFC 6749 §5.2 characters only: no `"` or `\`). */
  carriedAs: string;
  /** The curl options that authenticate as this client. */
  curlOptions: (clientId: string, clientSecret: string) => string[];
};

export const CLIENT_AUTH_METHODS = {
  client_secret_basic: {
    label: "Client secret basic",
    carriedAs: "an HTTP Basic Authorization header (client_id:client_secret)",
    // Client ids and secrets are base64url, which form-urlencoding (RFC 6749 §2.3.1) leaves unchanged.
    curlOptions: (clientId, clientSecret) => ["--user", `${clientId}:${clientSecret}`],
  },
  client_secret_post: {
    label: "Client secret post",
    carriedAs: "the client_id and client_secret form fields of the request body",
    curlOptions: (clientId, clientSecret) => ["--data-urlencode", `client_id=${clientId}`, "--data-urlencode", `client_secret=${clientSecret}`],
  },
  private_key_jwt: {
    label: "Private key JWT",
    carriedAs: "a client_assertion form field: a JWT signed with one of its registered keys (RFC 7523)",
    // The assertion is signed by the integration for each request; CLIENT_ASSERTION is that JWT.
    curlOptions: () => [
      "--data-urlencode",
      `client_assertion_type=${JWT_BEARER_ASSERTION_TYPE}`,
      "--data-urlencode",
      "client_assertion=CLIENT_ASSERTION",
    ],
  },
} as const satisfies Record<ClientAuthMethod, ClientAuthMethodDescriptor>;

export function isClientAuthMethod(value: string): value is ClientAuthMethod {
  return Object.hasOwn(CLIENT_AUTH_METHODS, value);
}

/** The invalid_client description for a client that authenticated correctly but by another method. */
export function wrongMethodDescription(registered: string, used: ClientAuthMethod): string {
  const how = isClientAuthMethod(registered) ? ` and must send its credentials in ${CLIENT_AUTH_METHODS[registered].carriedAs}` : "";
  return `This client is registered for ${registered}${how}; this request used ${used} (${CLIENT_AUTH_METHODS[used].carriedAs}).`;
}
