// The process-wide sync service: one sync engine and one durable outbox per data dir, shared by every
// session, with a sender per environment (gateway variables or management-API context inject). Jobs left
// in the outbox by an earlier run are resumed with senders built from the stored environments.
import { join } from 'node:path';
import type { Environment } from '../../../shared/environment';
import type { SyncEvent, TokenUsage } from '../../../shared/events';
import type { SecretStore } from '../secrets/secret-store';
import type { SessionIdentity } from '../upstreams/session-identity';
import { createSyncEngine, type SyncEngine } from '../sync/sync-engine';
import type { FailedSyncJob, OutboxIssue, SyncJob, SyncOutcome, SyncSender } from '../sync/types';
import type { SyncJobDraft } from '../upstreams/descriptor';
import { withUpstream } from '../upstreams/registry';

export interface SyncRequest {
  turnId: string;
  requestId: string;
  /** The session the answer belongs to, as the live connection named it. */
  identity: SessionIdentity;
  filteredText: string;
  usage: TokenUsage;
}

/** A write-back durably in the outbox, and how its first round ends. */
export interface StoredSync {
  syncId: string;
  outcome: Promise<SyncOutcome>;
}

export interface SyncService {
  /**
   * Stores the answer's sync in the outbox (write-ahead) and starts sending it: resolves once it is on
   * disk; rejects with an OutboxWriteError naming the file when it is not (after a `failed` sync event).
   * Undefined when the environment has nowhere to sync to (no API URL).
   */
  enqueue(req: SyncRequest, env: Environment, secrets: SecretStore): Promise<StoredSync> | undefined;
  subscribe(listener: (e: SyncEvent) => void): () => void;
  retryNow(syncId: string): Promise<void>;
  resumePending(): Promise<void>;
  pending(): number;
  /** Jobs the server refused for good (kept until retried or discarded). */
  failed(): number;
  /** The outbox as read from disk now; rejects with an OutboxReadError (file, why) when it cannot be read. */
  list(): Promise<{ pending: SyncJob[]; failed: FailedSyncJob[] }>;
  discard(syncId: string): Promise<boolean>;
  close(): Promise<void>;
  readonly engine: SyncEngine;
}

/** Directory of the durable outbox (`outbox.json`), or memory only: for a receiver that ends with this process. */
export type SyncServiceOptions = SyncServiceTuning & ({ dataDir: string; memoryOnly?: never } | { memoryOnly: true; dataDir?: never });

export interface SyncServiceTuning {
  /** Builds a sender for a job whose environment no live session registered (resumed from disk). */
  senderFor?: (job: SyncJob) => Promise<SyncSender | undefined>;
  /** Outbox problems a human must hear about (corrupt file moved aside, write failed). */
  onIssue?: (issue: OutboxIssue) => void;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long to wait for another process's outbox lock; default the outbox's (30 s). */
  lockTimeoutMs?: number;
}

/** The job an answer becomes, by its kind's descriptor; undefined when the environment has nowhere to sync to. */
export function syncJobFor(req: SyncRequest, env: Environment): SyncJobDraft | undefined {
  return withUpstream(env, (d, e) => d.syncJob(req, e));
}

/** The sender of `target` jobs for `env`; a job whose target is not its kind's is refused, never misrouted. */
export function senderForEnvironment(env: Environment, secrets: SecretStore, target: SyncJob['target']): SyncSender {
  return withUpstream(env, (d, e): SyncSender => {
    if (d.syncTarget === target) return d.syncSender(e, secrets);
    return async (job) => ({ ok: false, cause: 'bad_request', retryable: false, message: `the ${target} sync of turn ${job.turnId} cannot go to environment "${env.name}": it is a ${env.kind} environment now` });
  });
}

export function createSyncService(opts: SyncServiceOptions): SyncService {
  const listeners = new Set<(e: SyncEvent) => void>();
  const senders = new Map<string, SyncSender>();
  const key = (envName: string, target: string) => `${target}\u0000${envName}`;

  const engine = createSyncEngine({
    ...(opts.memoryOnly ? { outboxPath: 'the in-memory outbox', memoryOnly: true } : { outboxPath: join(opts.dataDir, 'outbox.json') }),
    maxAttempts: opts.maxAttempts,
    baseDelayMs: opts.baseDelayMs,
    maxDelayMs: opts.maxDelayMs,
    lockTimeoutMs: opts.lockTimeoutMs,
    onIssue: opts.onIssue,
    onStatus: (e) => {
      for (const l of listeners) l(e);
    },
    resolveSender: async (job) => {
      const s = senders.get(key(job.environment, job.target)) ?? (await opts.senderFor?.(job));
      if (s) return s;
      return async () => ({
        ok: false,
        cause: 'not_found',
        retryable: false,
        message: `environment "${job.environment}" no longer exists: the sync of turn ${job.turnId} cannot be sent`,
      });
    },
  });

  return {
    engine,
    enqueue(req, env, secrets) {
      const job = syncJobFor(req, env);
      if (!job) return undefined;
      const k = key(env.name, job.target);
      if (!senders.has(k)) senders.set(k, senderForEnvironment(env, secrets, job.target));
      return engine.store({ ...job, createdAt: new Date().toISOString(), attempts: 0 }).then(
        ({ outcome }) => ({ syncId: job.id, outcome }),
        (err: unknown) => {
          // Nobody may believe this answer is safe: say so on the turn's sync timeline too.
          const ev: SyncEvent = { type: 'sync', turnId: req.turnId, at: 0, syncId: job.id, target: job.target, state: 'failed', attempt: 0, cause: 'internal', detail: (err as Error).message };
          for (const l of listeners) l(ev);
          throw err;
        },
      );
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    retryNow: (id) => engine.retryNow(id),
    resumePending: () => engine.resumePending(),
    pending: () => engine.pending().length,
    failed: () => engine.failed().length,
    async list() {
      await engine.ready();
      await engine.refresh();
      return { pending: engine.pending(), failed: engine.failed() };
    },
    discard: (id) => engine.discard(id),
    close: () => engine.close(),
  };
}
