import { issuer } from "./config";
import { CLIENT_AUTH_METHODS } from "./client-auth-methods";
import { CLIENT_ASSERTION_ALGS } from "./private-key-jwt";
import { SCOPE_NAMES } from "./scopes";
import { SUPPORTED_GRANT_TYPES } from "./token-endpoint";

const AUTH_METHODS = Object.keys(CLIENT_AUTH_METHODS);
// RFC 8414 §2: the algorithms private_key_jwt assertions may be signed with, for each endpoint that takes them.
const ASSERTION_ALGS = [...CLIENT_ASSERTION_ALGS];

/** RFC 8414 authorization server metadata, served at /.well-known/oauth-authorization-server. */
export function authorizationServerMetadata() {
  const base = issuer();
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    introspection_endpoint: `${base}/oauth2/introspect`,
    // The keys JWT access tokens (RFC 9068) are signed with.
    jwks_uri: `${base}/oauth2/jwks`,
    // RFC 7591: MCP clients register themselves (their client is bound to a team when a user approves it).
    registration_endpoint: `${base}/oauth2/register`,
    scopes_supported: SCOPE_NAMES,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [...SUPPORTED_GRANT_TYPES],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/api-docs`,
  };
}
