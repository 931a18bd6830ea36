import "server-only";

/**
 * Flows: ordered HTTP steps with mapping, run by pg-boss workers on demand, on a schedule or from a webhook.
 * Server code imports from here; client components import "@/lib/flows/model" (form schema),
 * "@/lib/flows/mapping" and "@/lib/flows/cron" (validation and explanations as you type).
 */

export {
  createFlow,
  createWebhookToken,
  deleteFlow,
  listFlows,
  listFlowPage,
  type FlowPage,
  listFlowsUsingConnection,
  loadFlow,
  removeWebhook,
  toFormValues,
  updateFlow,
  type FlowSummary,
} from "./flows";
export { getFlowRun, lastRunData, listFlowRuns, rerunFlowRun, startFlowRun, waitForRun, type RunTrigger, type StartRunInput } from "./runs";
export { executeFlowRun, markRunLost, type RunOutcome, type RunnerOptions } from "./runner";
export { runDueSchedules } from "./scheduler";
export { pruneFlowRuns } from "./retention";
export { startWebhookRun } from "./webhook";
export { webhookResult, WEBHOOK_WAIT_MS } from "./webhook-response";
export { startFlowWorkers, stopFlowWorkers, type FlowWorkerOptions, type FlowWorkers } from "./worker";
