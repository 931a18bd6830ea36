export { runRequest, downloadsDir, type RunConnection } from "./run-request";
export { deleteSavedRequest, getRun, listRecentRuns, listSavedRequests, saveRequest } from "./history";
export { describeDownloadRetention, describeHistoryRetention } from "./retention";
export { downloadPart, fileByteStream, findRunDownload, type DownloadPart, type RunDownload } from "./download";
export type { RunView, RunBodyView } from "./run-view";
