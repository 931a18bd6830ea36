import "server-only";
import { MappingError, standaloneScope, validateTemplate } from "@/lib/flows/mapping";
import { resolveStepSpec, StepRequestError, templateFields, type StepSpecTemplate } from "@/lib/flows/step-template";
import { createMasker, type Masker } from "@/lib/http/mask";
import type { RequestSpec } from "@/lib/http/spec";
import { ServiceError } from "@/lib/errors/service-error";
import type { Executor } from "@/db";
import { someText } from "@/lib/validation/plain-data";
import { loadTeamVariables, type TeamVariables } from "./variables";

/**
 * A lone request (request builder, REST run, cURL export) with its {{vars.NAME}} filled in, through the
 * flows' mapping engine: the same parser, the same field walk, the same JSON-aware escaping. A field that
 * names anything else, or a variable the team lacks, is a field error under `spec.<path>`.
 */
export function resolveRequestVariables(spec: RequestSpec, variables: TeamVariables, input?: Record<string, unknown>): RequestSpec {
  if (!holdsBraces(spec) || !checkRequestVariables(spec, new Set(Object.keys(variables.values)), { input: input !== undefined })) return spec;
  try {
    return resolveStepSpec(spec as unknown as StepSpecTemplate, { input: input ?? {}, steps: {}, vars: variables.values });
  } catch (error) {
    if (!(error instanceof MappingError || error instanceof StepRequestError)) throw error;
    // The message may quote a filled-in value (a secret variable's): masked like the request.
    throw new ServiceError(maskerWithVariables(undefined, variables).text(error.message), "invalid");
  }
}

/**
 * Save-time and run-time check of a lone request's expressions: each must be {{vars.NAME}} naming one of the
 * team's variables, or with `input`, {{input.NAME}} (a saved request an MCP tool runs with its arguments).
 * Throws the field errors; tells whether the request uses any expression.
 */
export function checkRequestVariables(spec: RequestSpec, names: ReadonlySet<string>, options: { input?: boolean } = {}): boolean {
  const fieldErrors: Record<string, string> = {};
  let uses = false;
  for (const field of templateFields(spec as unknown as StepSpecTemplate)) {
    if (!field.value.includes("{{")) continue;
    uses = true;
    const error = validateTemplate(field.value, field.kind === "file" ? "text" : field.kind, standaloneScope(names, options));
    if (error) fieldErrors[`spec.${field.path.join(".")}`] ??= error;
  }
  const [first] = Object.values(fieldErrors);
  if (first) throw new ServiceError(first, "invalid", fieldErrors);
  return uses;
}

/**
 * Whether any text anywhere in the spec has "{{": without one no field can hold an expression, and this walk
 * makes no field list (every run asks, and almost none uses a variable).
 */
const holdsBraces = (spec: RequestSpec) => someText(spec, (text) => text.includes("{{"));

/** Whether any text field of a request holds an expression (file bytes are not walked). */
export function usesExpressions(spec: RequestSpec): boolean {
  return holdsBraces(spec) && templateFields(spec as unknown as StepSpecTemplate).some((field) => field.value.includes("{{"));
}

/**
 * The variables a lone request needs: none when it names none, so a plain request costs no extra query
 * (like a connection's secrets, the team's secret values are masked in the requests that use variables).
 */
export async function variablesForRequest(db: Executor, teamId: string, spec: RequestSpec): Promise<TeamVariables> {
  return usesExpressions(spec) ? loadTeamVariables(db, teamId) : { values: {}, secrets: [] };
}

/**
 * The one masker of a request or a flow step: the connection's secrets (read live, so tokens learned by a
 * refresh count) and the team's secret variable values, in every encoding the masker covers.
 */
export function maskerWithVariables(connectionMasker: Masker | undefined, variables: Pick<TeamVariables, "secrets">): Masker {
  if (!variables.secrets.length && connectionMasker) return connectionMasker;
  return createMasker(() => [...(connectionMasker?.secrets() ?? []), ...variables.secrets]);
}
