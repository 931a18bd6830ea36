import "server-only";

/**
 * Alerts: what is raised (events.ts), to whom (endpoints.ts: team email addresses and webhooks, each
 * member's own email), through which channel (channels/), delivered by the job queue with retries
 * (queue.ts, worker.ts). Client components import "@/lib/alerts/events" and "@/lib/alerts/schemas" only.
 *
 * Triggers other packages call:
 * - noteConnectionStatus(db, connectionId): after any write of a connection's status;
 * - raiseDueExpiryAlerts(db): the expiry scan (the hourly maintenance job runs it);
 * - noteFlowRunFinished(db, runId): when a flow run finished.
 * The hourly maintenance job (worker.ts) also sends the daily reminders; a job every minute queues stranded deliveries again.
 */

export { noteConnectionStatus, REMINDER_INTERVAL_MS } from "./connection-status";
export { raiseDueExpiryAlerts, raiseExpiryAlert } from "./expiry";
export { noteFlowRunFinished } from "./flow-failures";
export {
  channelAvailability,
  createEmailRecipient,
  createWebhookEndpoint,
  deleteAlertEndpoint,
  getPersonalAlerts,
  getTeamAlertSettings,
  getTeamEndpoint,
  listDeliveries,
  listTeamEndpoints,
  sendTestAlert,
  setPersonalAlerts,
  setTeamAlertSettings,
  type AlertDeliverySummary,
  type AlertEndpointSummary,
} from "./endpoints";
export { attemptDelivery } from "./deliver";
export { rotateWebhookSecret, SECRET_ROTATION_OVERLAP_MS, setAlertEndpointEnabled, updateWebhookEndpoint } from "./endpoint-changes";
export { remindLastingProblems, requeueStrandedDeliveries, STRANDED_AFTER_MS } from "./maintenance";
export { pruneAlerts, ALERT_RETENTION_DAYS, DELIVERIES_KEPT_PER_ENDPOINT } from "./retention";
export { startAlertWorkers, stopAlertWorkers } from "./worker";
export { describeAlert } from "./message";
export * from "./events";
