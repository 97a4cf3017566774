// The contract between the sync engine, the senders that talk HTTP (gateway variables, management API
// context inject) and the outbox file. A job carries what to send and nothing secret: it is written to disk.
import { z } from 'zod';
import { Cause, type SyncEvent } from '../../../shared/events';

export const SYNC_TARGETS = ['gateway-variables', 'context-inject'] as const;
export type SyncTarget = (typeof SYNC_TARGETS)[number];

export const SyncJob = z.object({
  /** Request id = `Idempotency-Key`: the same on every attempt and across restarts. */
  id: z.string().min(1).max(200),
  target: z.enum(SYNC_TARGETS),
  /** Environment name: the sender resolves host and credentials from it at send time, never from the job. */
  environment: z.string().min(1),
  turnId: z.string(),
  /** JSON body (or what the sender builds it from). Must be JSON-serialisable; must not hold a secret. */
  payload: z.unknown(),
  /** ISO 8601, when the job was made. */
  createdAt: z.string(),
  /** Attempts completed so far, over the job's whole life (all rounds, all processes). */
  attempts: z.number().int().nonnegative(),
  /** `<cause>: <message>` of the last failed attempt. */
  lastError: z.string().optional(),
  /** Epoch ms before which the next attempt must not start (backoff or Retry-After); kept across restarts. */
  nextAttemptAt: z.number().optional(),
});
export type SyncJob = z.infer<typeof SyncJob>;

/** A job the server refused for good (non-retryable answer); kept for the UI and `retryNow`. */
export const FailedSyncJob = SyncJob.extend({
  failedAt: z.string(),
  cause: Cause,
  status: z.number().int().optional(),
});
export type FailedSyncJob = z.infer<typeof FailedSyncJob>;

export type SendResult =
  | { ok: true; status?: number }
  | { ok: false; status?: number; cause: Cause; retryable: boolean; retryAfterMs?: number; message: string };

/**
 * Sends one attempt. Sets `Idempotency-Key: job.id`, honours `ctx.signal`, and reports failures as a
 * SendResult (throwing is allowed too: it counts as a retryable network failure). Its messages end up in
 * events and the outbox file, so they must never contain a token, secret or API key.
 */
export type SyncSender = (job: SyncJob, ctx: { signal: AbortSignal; attempt: number }) => Promise<SendResult>;

/** How a sync round ended: synced; failed (refused, or out of attempts for now); pending (engine closed). */
export type SyncOutcome = 'synced' | 'failed' | 'pending';

/** Something about the outbox a human must hear about (never silently swallowed). */
export interface OutboxIssue {
  kind: 'corrupt-outbox' | 'invalid-entries' | 'write-failed' | 'listener-threw';
  /** The outbox file concerned. */
  file: string;
  /** Where the unreadable original was moved to, when it was. */
  movedTo?: string;
  message: string;
}

export type SyncStatusListener = (ev: SyncEvent) => void;
