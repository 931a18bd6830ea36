import "server-only";
import type { Executor } from "@/db";
import { ServiceError } from "@/lib/errors/service-error";
import { findExpressions, MappingError, renderTemplate, standaloneScope, validateTemplate } from "@/lib/flows/mapping";
import { createMasker } from "@/lib/http/mask";
import { loadTeamVariables, teamVariableNames, type TeamVariables } from "@/lib/variables/variables";
import { allowedHostsFor, type StoredConfig } from "./config";
import type { ConnectionInput } from "./schemas";
import { isHttpUrl, isRelativePath, splitList } from "./types/common";
import { onPremHostIssue } from "./types/on-prem";

/**
 * {{vars.NAME}} in a connection's own fields: its Test URL and its on-premises Host. Checked when saved (the
 * names must be the team's variables, as in a flow step or a saved request) and filled in each time the
 * connection is used (Verify, a scheduled check, a request, a flow step), so changing a variable moves every
 * connection that names it. Without typed allowed domains, the allowed hosts follow the filled-in URLs.
 */

export const CONNECTION_VARIABLE_FIELDS = { testUrl: "Test URL", host: "Host" } as const;
type VariableField = keyof typeof CONNECTION_VARIABLE_FIELDS;

function templatedFields(config: Partial<Record<VariableField, unknown>>): Array<[VariableField, string]> {
  return (Object.keys(CONNECTION_VARIABLE_FIELDS) as VariableField[]).flatMap((field) => {
    const value = config[field];
    return typeof value === "string" && value.includes("{{") ? [[field, value] as [VariableField, string]] : [];
  });
}

export function connectionUsesVariables(config: Partial<Record<VariableField, unknown>>): boolean {
  return templatedFields(config).length > 0;
}

/** Save-time check: every expression is {{vars.NAME}} naming one of the team's variables; field errors otherwise. */
export async function assertConnectionVariables(db: Executor, teamId: string, input: Partial<Record<VariableField, unknown>>): Promise<void> {
  const fields = templatedFields(input);
  if (!fields.length) return;
  const scope = standaloneScope(await teamVariableNames(db, teamId));
  const fieldErrors: Record<string, string> = {};
  for (const [field, value] of fields) {
    const error = validateTemplate(value, "text", scope);
    if (error) fieldErrors[field] = `${CONNECTION_VARIABLE_FIELDS[field]}: ${error}`;
  }
  const [first] = Object.values(fieldErrors);
  if (first) throw new ServiceError(first, "invalid", fieldErrors);
}

/** The team's variables when the connection names any (one query), else none. */
export async function variablesForConnection(db: Executor, teamId: string, config: Partial<Record<VariableField, unknown>>) {
  return connectionUsesVariables(config) ? loadTeamVariables(db, teamId) : undefined;
}

/** A variable that is missing, or a value that makes no URL or host: the connection cannot be used as it is. */
export class ConnectionVariableError extends ServiceError {
  constructor(message: string) {
    super(message, "invalid", { connectionId: message });
  }
}

/**
 * The config with its Test URL and Host filled in, the allowed hosts derived from them (unless typed), and
 * the secret values it used (the caller's masker learns them). Throws ConnectionVariableError, in words
 * and masked, naming the connection and the field.
 */
export function resolveConnectionConfig(
  connectionName: string,
  config: StoredConfig,
  variables: TeamVariables,
): { config: StoredConfig; secrets: string[] } {
  const fields = templatedFields(config);
  if (!fields.length) return { config, secrets: [] };
  const masker = createMasker(variables.secrets);
  const fail = (field: VariableField, message: string) =>
    new ConnectionVariableError(masker.text(`Connection “${connectionName}”, ${CONNECTION_VARIABLE_FIELDS[field]}: ${message}`));
  const resolved: Record<string, unknown> = { ...config };
  const used = new Set<string>();
  for (const [field, template] of fields) {
    let value: string;
    try {
      for (const expr of findExpressions(template)) if (typeof expr.path[1] === "string") used.add(expr.path[1]);
      value = renderTemplate(template, { input: {}, steps: {}, vars: variables.values }).trim();
    } catch (error) {
      if (error instanceof MappingError) throw fail(field, error.message);
      throw error;
    }
    const issue = field === "host" ? onPremHostIssue(value) : testUrlIssue(value);
    if (issue) throw fail(field, `${template} gives “${value}”: ${issue.replace(/^Host: /, "")}`);
    resolved[field] = value;
  }
  const secretSet = new Set(variables.secrets);
  const secrets = [...used].map((name) => variables.values[name]).filter((v): v is string => v !== undefined && secretSet.has(v));
  const typedDomains = splitList(String(config.allowedDomains ?? "")).length > 0;
  const out = resolved as StoredConfig;
  return { config: typedDomains ? out : { ...out, allowedHosts: allowedHostsFor(out as unknown as ConnectionInput) }, secrets };
}

function testUrlIssue(url: string): string | undefined {
  if (url === "" || isHttpUrl(url) || isRelativePath(url)) return undefined;
  return "enter an http:// or https:// URL, or a path such as /me when Host is set.";
}
