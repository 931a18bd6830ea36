import "server-only";

/**
 * Connections: a team's stored credentials. Server code imports from here; client components import
 * "@/lib/connections/schemas" (the form schema, labels) only.
 */

export {
  createConnection,
  deleteConnection,
  getConnection,
  listConnectionOptions,
  listConnections,
  listConnectionUsage,
  listTokenEvents,
  replaceConnection,
  type ConnectionDetail,
  type ConnectionSummary,
} from "./connections";
export { getConnectionOptions, listConnectionPage, searchConnectionOptions, type ConnectionOption, type ConnectionPage } from "./list-connections";
export { callbackUrl, completeAuthorization, startAuthorization, startReauthorization, type CallbackOutcome } from "./authorize";
export { getCredentialProvider, type ConnectionCredentials, type ConnectionProvider } from "./credential-provider";
export { renewClientCredentials, verifyConnection, type VerifyResult } from "./verify-connection";
export { saveConnection, type SaveCheckResult, type SaveConnectionResult } from "./save-connection";
export { discoverProvider } from "./discover";
export { CONNECTION_CHECKS_KEPT, listConnectionChecks, recordConnectionCheck, type ConnectionCheck } from "./checks";
export { ConnectionTokenError } from "./errors";
export { findUnknownKeyIds, findWrongKeys, rotateStoredSecrets, type RotationReport } from "./rotate-keys";
export { getKeyring } from "./secrets";
export { needsConsent } from "./types/registry";
