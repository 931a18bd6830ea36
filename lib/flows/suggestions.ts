import { collectPaths } from "./mapping";

/** The editor's mapping suggestions: the last run's input paths and each step's by name, and the team's variables. */
export function runSuggestions(
  last: {
    input: Record<string, unknown>;
    steps: Array<{
      stepName: string;
      responseStatus: number | null;
      responseHeaders: Record<string, unknown> | null;
      output: unknown;
      responseBodyType: string | null;
    }>;
  } | null,
  variableNames: Iterable<string> = [],
): { input: string[]; steps: Record<string, string[]>; vars: string[] } {
  const vars = [...variableNames].sort().map((name) => `{{vars.${name}}}`);
  if (!last) return { input: [], steps: {}, vars };
  const steps: Record<string, string[]> = {};
  for (const s of last.steps) {
    const paths: string[] = [];
    if (s.responseStatus !== null) paths.push(`{{steps.${s.stepName}.status}}`);
    if (s.responseBodyType === "binary") paths.push(`{{steps.${s.stepName}.file}}`);
    else if (s.output !== null && s.output !== undefined) paths.push(...collectPaths(s.output, ["steps", s.stepName, "body"], 60));
    else if (s.responseBodyType === "text") paths.push(`{{steps.${s.stepName}.body}}`);
    for (const name of Object.keys(s.responseHeaders ?? {}).slice(0, 20))
      paths.push(...collectPaths(null, ["steps", s.stepName, "headers", name], 1));
    steps[s.stepName] = paths;
  }
  return { input: collectPaths(last.input, ["input"], 40).slice(1), steps, vars };
}
