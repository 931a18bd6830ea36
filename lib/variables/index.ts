export {
  assertVariableBound,
  countVariables,
  deleteVariable,
  getVariable,
  listVariables,
  loadTeamVariables,
  type PortableVariable,
  readTeamVariables,
  setVariable,
  teamVariableNames,
  variableAad,
  writeImportedVariable,
  type TeamVariables,
  type VariableWrite,
} from "./variables";
export { checkRequestVariables, maskerWithVariables, resolveRequestVariables, usesExpressions, variablesForRequest } from "./resolve";
export type { VariableSummary } from "./schemas";
