export {
  countVariables,
  deleteVariable,
  getVariable,
  listVariables,
  loadTeamVariables,
  setVariable,
  teamVariableNames,
  variableAad,
  type TeamVariables,
  type VariableWrite,
} from "./variables";
export { checkRequestVariables, maskerWithVariables, resolveRequestVariables, usesExpressions, variablesForRequest } from "./resolve";
export type { VariableSummary } from "./schemas";
