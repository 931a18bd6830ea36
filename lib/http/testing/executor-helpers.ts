import { parseAllowedHosts } from "../address-guard";
import { executeHttpRequest } from "../execute";
import type { RequestSpecInput } from "../spec";
import type { ExecuteOptions, HttpErrorResult, HttpResponseResult } from "../types";

/** Tests talk to peers on 127.0.0.1, which the guard refuses unless allowed. */
export const loopbackAllowed = parseAllowedHosts("127.0.0.1");

/** Runs a request that must get a response. */
export async function send(spec: RequestSpecInput, options: ExecuteOptions = {}): Promise<HttpResponseResult> {
  const result = await executeHttpRequest(spec, { allowedTargets: loopbackAllowed, ...options });
  if (!result.ok) throw new Error(`expected a response, got ${result.kind}: ${result.message}`);
  return result;
}

/** Runs a request that must fail. */
export async function fail(spec: RequestSpecInput, options: ExecuteOptions = {}): Promise<HttpErrorResult> {
  const result = await executeHttpRequest(spec, { allowedTargets: loopbackAllowed, ...options });
  if (result.ok) throw new Error(`expected a failure, got HTTP ${result.status}`);
  return result;
}

/** What httpbin's /anything, /get, /post … say they received. */
export type HttpbinEcho = {
  method: string;
  args: Record<string, string>;
  headers: Record<string, string>;
  json: unknown;
  data: string;
  form: Record<string, string>;
  files: Record<string, string>;
  url: string;
};

export const echo = (r: HttpResponseResult) => r.output as HttpbinEcho;
