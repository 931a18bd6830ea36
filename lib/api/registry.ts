import type { ApiRoute } from "./define-route";
import {
  createAlertEndpointRoute,
  deleteAlertEndpointRoute,
  getAlertSettingsRoute,
  getPersonalAlertsRoute,
  listAlertDeliveriesRoute,
  listAlertEndpointsRoute,
  rotateAlertEndpointSecretRoute,
  sendTestAlertRoute,
  updateAlertEndpointRoute,
  updateAlertSettingsRoute,
  updatePersonalAlertsRoute,
} from "./routes/alerts";
import {
  addApplicationSecretRoute,
  createApplicationRoute,
  deleteApplicationRoute,
  getApplicationRoute,
  listApplicationSecretsRoute,
  listApplicationsRoute,
  regenerateApplicationSecretRoute,
  revokeApplicationSecretRoute,
  updateApplicationRoute,
} from "./routes/applications";
import { listAuditLogRoute } from "./routes/audit-log";
import {
  createConnectionRoute,
  deleteConnectionRoute,
  getConnectionRoute,
  listConnectionsRoute,
  updateConnectionRoute,
  verifyConnectionRoute,
} from "./routes/connections";
import { getFlowRoute, getFlowRunRoute, listFlowRunsRoute, listFlowsRoute, runFlowRoute } from "./routes/flows";
import { runRequestRoute } from "./routes/requests";
import { createVariableRoute, deleteVariableRoute, getVariableRoute, listVariablesRoute, updateVariableRoute } from "./routes/variables";
import { exportTeamRoute, importTeamRoute, previewTeamImportRoute } from "./routes/team-bundle";

/**
 * Every /api/v1 operation, in the order the documentation lists them. To add one: define it with
 * defineApiRoute in lib/api/routes/<area>.ts, add it here, and export it from its Next.js route file
 * (`export const GET = apiRouteHandler(route)`). registry.test.ts checks the route file exists.
 */
export const API_ROUTES: ApiRoute[] = [
  listConnectionsRoute,
  createConnectionRoute,
  getConnectionRoute,
  updateConnectionRoute,
  deleteConnectionRoute,
  verifyConnectionRoute,
  runRequestRoute,
  listFlowsRoute,
  getFlowRoute,
  runFlowRoute,
  listFlowRunsRoute,
  getFlowRunRoute,
  listVariablesRoute,
  createVariableRoute,
  getVariableRoute,
  updateVariableRoute,
  deleteVariableRoute,
  listAuditLogRoute,
  listAlertEndpointsRoute,
  createAlertEndpointRoute,
  updateAlertEndpointRoute,
  deleteAlertEndpointRoute,
  rotateAlertEndpointSecretRoute,
  listAlertDeliveriesRoute,
  sendTestAlertRoute,
  getAlertSettingsRoute,
  updateAlertSettingsRoute,
  getPersonalAlertsRoute,
  updatePersonalAlertsRoute,
  exportTeamRoute,
  previewTeamImportRoute,
  importTeamRoute,
  listApplicationsRoute,
  createApplicationRoute,
  getApplicationRoute,
  updateApplicationRoute,
  deleteApplicationRoute,
  listApplicationSecretsRoute,
  addApplicationSecretRoute,
  revokeApplicationSecretRoute,
  regenerateApplicationSecretRoute,
];
