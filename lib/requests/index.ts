export { runRequest, downloadsDir, type RunConnection } from "./run-request";
export { deleteSavedRequest, getRun, listRecentRuns, listSavedRequests, saveRequest } from "./history";
export type { RunView, RunBodyView } from "./run-view";
