import "server-only";

/**
 * Plugboard's server-side HTTP executor. Server code imports from here. Client components import the
 * client-safe modules directly: "@/lib/http/spec" (schema), "@/lib/http/pagination-spec",
 * "@/lib/http/curl-parse" and "@/lib/http/curl-format" (paste / copy as cURL), "@/lib/http/mask".
 */

export { executeHttpRequest } from "./execute";
export { closeHttpAgents, type ResolveHost } from "./dispatcher";
export { RunCookieJar } from "./cookie-jar";
export type {
  CredentialProvider,
  DebugRequest,
  ExecuteOptions,
  HttpErrorKind,
  HttpErrorResult,
  HttpResponseResult,
  HttpResult,
  RedirectHop,
  ResponseBody,
  ResponseHeaders,
  RetryInfo,
  Timings,
} from "./types";

export { HTTP_METHODS, RAW_CONTENT_TYPES, bodySchema, requestSpecSchema } from "./spec";
export type { HttpMethod, RequestBody, RequestSpec, RequestSpecInput } from "./spec";

export {
  AddressGuardError,
  EMPTY_ALLOW_LIST,
  checkAddress,
  checkHost,
  checkResolved,
  parseAllowedHosts,
  type AllowList,
  type GuardVerdict,
} from "./address-guard";

export { backoffDelay, parseRetryAfter, type BackoffOptions } from "./retry";
export { createMasker, MASK, NO_SECRETS, type Masker } from "./mask";

export { CurlParseError, parseCurl, parseCurlDetailed } from "./curl-parse";
export { toCurl, type ToCurlOptions } from "./curl-format";
export { ShellWordsError, splitShellWords } from "./shell-words";

export { paginate, type PageExecutor, type PaginateResult, type StopReason } from "./paginate";
export { PAGINATION_MODES, paginationSchema, type PaginationOptions, type PaginationOptionsInput } from "./pagination-spec";
