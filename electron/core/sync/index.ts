// Package entry of the sync engine (the one barrel allowed): what the session engine, the app service and
// the CLI use. Internals (outbox file format, locks, leases) stay behind it.
export { createSyncEngine, SyncEngineClosedError, type SyncEngine, type SyncEngineOptions, type SyncJobInput } from './sync-engine';
export { sendResultFromResponse, sendResultFromError, classifyStatus } from './send-result';
export { backoffDelay, backoffCeiling } from './backoff';
export {
  SyncJob,
  FailedSyncJob,
  SYNC_TARGETS,
  type SyncTarget,
  type SendResult,
  type SyncSender,
  type SyncOutcome,
  type OutboxIssue,
  type SyncStatusListener,
} from './types';
