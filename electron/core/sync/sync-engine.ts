// The sync engine: delivers gateway dialog-variable posts and management-API context injects so that
// nothing is lost. A job is on disk (the outbox) before its first send and leaves it only once the server
// took it; in between it is retried with bounded, fully jittered exponential backoff that never undercuts
// Retry-After, within a bounded number of attempts per round, in a loop (never recursion), cancellable by
// close(). It must never send a job under a different Idempotency-Key than its id, never drop a job
// because of a crash or a corrupt file, and never block close() on a sender that ignores its signal.
//
// Lifecycle of a job (all of it mirrored to the outbox file):
//   enqueue → pending ─ sent OK ──────────────────────────→ removed                 (event: synced)
//                     ├ retryable failure, attempts left ─→ pending, nextAttemptAt  (event: retrying)
//                     ├ retryable failure, round used up ─→ pending, no lease       (event: failed; retried by
//                     │                                      resumePending at the next start, or retryNow)
//                     └ non-retryable (400/401/403/404/413) → `failed` list         (event: failed; retryNow)
// `attempt` in events counts attempts over the job's whole life (all rounds and processes), from 1.
// `at` in events is ms since the job was created (its `createdAt`), so it stays meaningful after a restart.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { SyncEvent } from '../../../shared/events';
import { MAX_RETRY_AFTER_MS } from '../net/retry-after';
import { backoffDelay } from './backoff';
import { createMemoryOutbox } from './memory-outbox';
import { createOutbox, type OutboxState, type StoredJob } from './outbox';
import { currentOwner, isOwnerAlive, registerInstance, unregisterInstance } from './owner';
import { sendResultFromError } from './send-result';
import {
  SyncJob,
  type FailedSyncJob,
  type OutboxIssue,
  type SendResult,
  type SyncOutcome,
  type SyncSender,
  type SyncStatusListener,
} from './types';
import { startWait, type Wait } from './wait';

export interface SyncEngineOptions {
  /** The outbox file, e.g. `<dataDir>/outbox.json`; its directory is created when missing. */
  outboxPath: string;
  /**
   * Keep the outbox in this process's memory, never on disk (`outboxPath` then only names it in messages).
   * Only for write-backs whose receiver ends with this process (the demo's in-process simulator): no later
   * run could resend them, so durability would cost a file, a lock and two fsyncs per answer for nothing.
   */
  memoryOnly?: boolean;
  /** The sender for a job's target and environment; called before every attempt (credentials may change). */
  resolveSender: (job: SyncJob) => SyncSender | Promise<SyncSender>;
  onStatus: SyncStatusListener;
  /** Outbox trouble a human must see (corrupt file set aside, failed write). Default: process.emitWarning. */
  onIssue?: (issue: OutboxIssue) => void;
  /** Attempts per round (per enqueue / resume / retryNow). Default 5. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /** Wall clock, epoch ms. */
  now?: () => number;
  lockTimeoutMs?: number;
}

/** What a caller hands to enqueue: `attempts` and `createdAt` are filled in when absent. */
export type SyncJobInput = Omit<SyncJob, 'attempts' | 'createdAt' | 'lastError' | 'nextAttemptAt'> &
  Partial<Pick<SyncJob, 'attempts' | 'createdAt'>>;

export interface SyncEngine {
  /** Persists the job, then sends it; resolves when this round ends. Rejects only if the job could not be persisted. */
  enqueue(job: SyncJobInput): Promise<SyncOutcome>;
  /**
   * Write-ahead: resolves once the job is durably in the outbox (its round then runs on), with the round's
   * outcome; rejects with an OutboxWriteError naming the file when it could not be stored.
   */
  store(job: SyncJobInput): Promise<{ outcome: Promise<SyncOutcome> }>;
  /** Reads the outbox again; rejects with an OutboxReadError (file and reason) when it cannot be read. */
  refresh(): Promise<void>;
  /** Starts a round for every pending job no live process is sending; resolves when those rounds end. */
  resumePending(): Promise<void>;
  /** Sends a pending or failed job now (a fresh round); rejects when the id is unknown or another process holds it. */
  retryNow(id: string): Promise<void>;
  /** Removes a job for good (user's decision); false when unknown. Refuses a job another process is sending. */
  discard(id: string): Promise<boolean>;
  /** Resolves once the outbox has been read (pending() and failed() reflect the file from then on). */
  ready(): Promise<void>;
  /** Pending jobs as of this engine's last look at the outbox. */
  pending(): SyncJob[];
  /** Jobs the server refused for good. */
  failed(): FailedSyncJob[];
  /** Cancels waits and in-flight sends; every unsent job stays in the outbox. Idempotent. */
  close(): Promise<void>;
}

interface Run {
  promise: Promise<SyncOutcome>;
  wait: Wait | undefined;
  wakeRequested: boolean;
}

export class SyncEngineClosedError extends Error {
  override name = 'SyncEngineClosedError';
}

/** The outbox could not be read (unreadable, locked by a live process, not a file, disk full). */
export class OutboxReadError extends Error {
  override name = 'OutboxReadError';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`could not read the sync outbox ${file}: ${msg(cause)}`, { cause });
  }
}

/** A job could not be stored in the outbox: it is not safe, and nobody may say it is. */
export class OutboxWriteError extends Error {
  override name = 'OutboxWriteError';
  constructor(
    readonly file: string,
    readonly jobId: string,
    cause: unknown,
  ) {
    super(`the write-back ${jobId} could not be stored in the sync outbox ${file}: ${msg(cause)}`, { cause });
  }
}

export function createSyncEngine(opts: SyncEngineOptions): SyncEngine {
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoff = { baseDelayMs: opts.baseDelayMs ?? 500, maxDelayMs: opts.maxDelayMs ?? 30_000, random: opts.random ?? Math.random };
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`sync engine: maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  if (!(backoff.baseDelayMs >= 0) || !(backoff.maxDelayMs >= backoff.baseDelayMs)) {
    throw new RangeError(`sync engine: need 0 ≤ baseDelayMs ≤ maxDelayMs, got ${backoff.baseDelayMs} and ${backoff.maxDelayMs}`);
  }
  const now = opts.now ?? Date.now;
  // A persisted nextAttemptAt is trusted only this far ahead: a clock jump must not park a job for days.
  const maxWaitMs = Math.max(backoff.maxDelayMs, MAX_RETRY_AFTER_MS);
  const onIssue = opts.onIssue ?? ((i: OutboxIssue) => process.emitWarning(i.message, { code: `SYNC_${i.kind.toUpperCase().replace(/-/g, '_')}` }));

  const instance = randomUUID();
  registerInstance(instance);
  const owner = currentOwner(instance);
  const outbox = opts.memoryOnly ? createMemoryOutbox(opts.outboxPath) : createOutbox(opts.outboxPath, { owner, onIssue, lockTimeoutMs: opts.lockTimeoutMs });
  const lifetime = new AbortController();
  // Every waiting or sending job listens on it; many concurrent jobs are normal, not a leak.
  setMaxListeners(0, lifetime.signal);
  const runs = new Map<string, Run>();
  /** Jobs the server took whose removal from the outbox file is still on its way. */
  const delivered = new Set<string>();
  let closing: Promise<void> | undefined;

  // Load early: reports a corrupt file at startup and fills pending() for the UI.
  let loadError: unknown;
  const loaded = outbox.update(() => undefined).catch((err: unknown) => {
    loadError = err;
    issue('write-failed', `cannot read the sync outbox ${opts.outboxPath}: ${msg(err)}`);
  });

  function issue(kind: OutboxIssue['kind'], message: string): void {
    try {
      onIssue({ kind, file: opts.outboxPath, message });
    } catch {
      // A throwing reporter must not take the engine down; there is nobody left to tell.
    }
  }

  function emit(job: SyncJob, state: SyncEvent['state'], attempt: number, extra: Pick<SyncEvent, 'nextAttemptAt' | 'cause' | 'detail'> = {}): void {
    const created = Date.parse(job.createdAt);
    const ev: SyncEvent = {
      type: 'sync',
      turnId: job.turnId,
      at: Number.isFinite(created) ? Math.max(0, now() - created) : 0,
      syncId: job.id,
      target: job.target,
      state,
      attempt,
    };
    if (extra.nextAttemptAt !== undefined) ev.nextAttemptAt = extra.nextAttemptAt;
    if (extra.cause !== undefined) ev.cause = extra.cause;
    if (extra.detail !== undefined) ev.detail = extra.detail;
    try {
      opts.onStatus(ev);
    } catch (err) {
      issue('listener-threw', `a sync status listener threw: ${msg(err)}`);
    }
  }

  const leasedByOther = (j: StoredJob): boolean => j.lease !== undefined && j.lease.instance !== instance && isOwnerAlive(j.lease);

  /** Writes the job's new state; a failed write is reported, and the run carries on from memory. */
  async function persist(what: string, change: (s: OutboxState) => void, lazy = false): Promise<void> {
    try {
      await outbox.update(change, { lazy });
    } catch (err) {
      issue('write-failed', `could not record ${what} in the sync outbox ${opts.outboxPath}: ${msg(err)}`);
    }
  }

  function putPending(s: OutboxState, job: SyncJob, leased: boolean): void {
    const stored: StoredJob = leased ? { ...job, lease: owner } : { ...job };
    const i = s.pending.findIndex((j) => j.id === job.id);
    // Re-inserted if missing (a file set aside meanwhile): this run still owes the server the job.
    if (i >= 0) s.pending[i] = stored;
    else s.pending.push(stored);
  }

  async function attemptOnce(job: SyncJob, attempt: number): Promise<SendResult | 'aborted'> {
    // One controller per attempt, so the sender's signal (and whatever fetch hangs on it) dies with the attempt.
    const attemptCtl = new AbortController();
    let onClose!: () => void;
    const aborted = new Promise<'aborted'>((resolve) => {
      onClose = () => {
        attemptCtl.abort(lifetime.signal.reason);
        resolve('aborted');
      };
    });
    if (lifetime.signal.aborted) onClose();
    else lifetime.signal.addEventListener('abort', onClose, { once: true });
    const send = (async (): Promise<SendResult> => {
      try {
        const sender = await opts.resolveSender(job);
        return await sender(job, { signal: attemptCtl.signal, attempt });
      } catch (err) {
        return sendResultFromError(err);
      }
    })();
    try {
      // A sender that ignores the signal must not hold close() hostage; its late answer is ignored, the job
      // stays pending, and a resend is harmless thanks to the Idempotency-Key.
      const result = await Promise.race([send, aborted]);
      if (result === 'aborted' || (lifetime.signal.aborted && !result.ok)) return 'aborted';
      return result;
    } finally {
      lifetime.signal.removeEventListener('abort', onClose);
    }
  }

  /** One round: up to maxAttempts attempts, looping (no recursion), waiting between them. */
  async function runRound(start: SyncJob, run: Run): Promise<SyncOutcome> {
    let job: SyncJob = stripLease(start);
    for (let inRound = 1; ; inRound++) {
      const due = job.nextAttemptAt === undefined ? 0 : Math.min(job.nextAttemptAt - now(), maxWaitMs);
      if (due > 0 && !run.wakeRequested) {
        run.wait = startWait(due, lifetime.signal);
        const how = await run.wait.done;
        run.wait = undefined;
        if (how === 'aborted') return 'pending';
      }
      run.wakeRequested = false;
      if (lifetime.signal.aborted) return 'pending';

      const attempt = job.attempts + 1;
      emit(job, 'sending', attempt);
      const result = await attemptOnce(job, attempt);
      if (result === 'aborted') return 'pending';

      if (result.ok) {
        // The server has it: say so now. Its removal from the file is lazy (it rides along with the next
        // write): a crash before that only means one resend under the same Idempotency-Key, never a loss.
        // Until then pending() leaves it out, and the round (our promise) ends once the file says so too.
        delivered.add(job.id);
        emit(job, 'synced', attempt);
        await persist(
          `that sync ${job.id} went through`,
          (s) => {
            s.pending = s.pending.filter((j) => j.id !== job.id);
          },
          true,
        );
        delivered.delete(job.id);
        return 'synced';
      }

      job = { ...job, attempts: attempt, lastError: `${result.cause}: ${result.message}` };
      delete job.nextAttemptAt;
      if (!result.retryable) {
        const failed: FailedSyncJob = { ...job, failedAt: new Date(now()).toISOString(), cause: result.cause };
        if (result.status !== undefined) failed.status = result.status;
        await persist(`that sync ${job.id} was refused`, (s) => {
          s.pending = s.pending.filter((j) => j.id !== job.id);
          s.failed = [...s.failed.filter((j) => j.id !== job.id), failed];
        });
        emit(job, 'failed', attempt, { cause: result.cause, detail: `${result.message}; not retried (kept in the outbox's failed list: use Retry now, or \`sync retry ${job.id}\` on the command line)` });
        return 'failed';
      }
      if (inRound >= maxAttempts) {
        const done = job;
        await persist(`the attempts of sync ${job.id}`, (s) => putPending(s, done, false));
        emit(job, 'failed', attempt, {
          cause: result.cause,
          detail: `gave up after ${inRound} attempt${inRound === 1 ? '' : 's'} (${result.message}); the job stays in the outbox and is retried at the next start, or now with Retry now / \`sync retry ${job.id}\``,
        });
        return 'failed';
      }
      const delay = backoffDelay(inRound - 1, backoff, result.retryAfterMs);
      job = { ...job, nextAttemptAt: now() + delay };
      const next = job;
      await persist(`the attempts of sync ${job.id}`, (s) => putPending(s, next, true));
      emit(job, 'retrying', attempt, { nextAttemptAt: next.nextAttemptAt, cause: result.cause, detail: result.message });
    }
  }

  function startRun(job: SyncJob): Promise<SyncOutcome> {
    const run: Run = { promise: Promise.resolve<SyncOutcome>('pending'), wait: undefined, wakeRequested: false };
    run.promise = runRound(job, run)
      .catch((err: unknown): SyncOutcome => {
        // Only a bug lands here; the job is still in the outbox, so it is pending, not lost.
        issue('write-failed', `sync ${job.id} stopped unexpectedly (${msg(err)}); it stays in the outbox`);
        return 'pending';
      })
      .finally(() => runs.delete(job.id));
    runs.set(job.id, run);
    return run.promise;
  }

  function assertOpen(): void {
    if (closing) throw new SyncEngineClosedError('the sync engine is closed');
  }

  async function store(input: SyncJobInput): Promise<{ outcome: Promise<SyncOutcome> }> {
    assertOpen();
    const parsed = SyncJob.safeParse({ ...input, attempts: input.attempts ?? 0, createdAt: input.createdAt ?? new Date(now()).toISOString() });
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new TypeError(`invalid sync job: ${first?.path.join('.') || 'job'}: ${first?.message ?? 'invalid'}`);
    }
    const job = parsed.data;
    try {
      // The outbox stores JSON: a payload that does not survive JSON would change between attempts.
      job.payload = JSON.parse(JSON.stringify(job.payload ?? null)) as unknown;
    } catch (err) {
      throw new TypeError(`invalid sync job ${job.id}: payload is not JSON-serialisable (${msg(err)})`);
    }
    try {
      await outbox.update((s) => {
        if (s.pending.some((j) => j.id === job.id) || s.failed.some((j) => j.id === job.id)) {
          throw new Error(`sync job ${job.id} is already in the outbox ${opts.outboxPath}`);
        }
        s.pending.push({ ...job, lease: owner });
      });
    } catch (err) {
      throw new OutboxWriteError(opts.outboxPath, job.id, err);
    }
    // Closed while we were writing: the job is safe on disk; the next start sends it.
    if (closing) return { outcome: Promise.resolve<SyncOutcome>('pending') };
    emit(job, 'queued', job.attempts);
    return { outcome: startRun(job) };
  }

  return {
    async enqueue(input) {
      return (await store(input)).outcome;
    },

    store,

    async refresh() {
      await loaded;
      // The first read has just failed: that is the answer (no second wait on a lock held by a live process).
      if (loadError !== undefined) {
        const err = loadError;
        loadError = undefined;
        throw new OutboxReadError(opts.outboxPath, err);
      }
      try {
        await outbox.update(() => undefined);
      } catch (err) {
        throw new OutboxReadError(opts.outboxPath, err);
      }
    },

    async resumePending() {
      assertOpen();
      const claimed = await outbox.update((s) => {
        const mine: SyncJob[] = [];
        for (const j of s.pending) {
          if (runs.has(j.id) || leasedByOther(j)) continue;
          j.lease = owner;
          mine.push(stripLease(j));
        }
        return mine;
      });
      if (closing) return;
      const rounds = claimed.map((job) => {
        emit(job, 'queued', job.attempts, { detail: 'resumed from the outbox' });
        return startRun(job);
      });
      await Promise.all(rounds);
    },

    async retryNow(id) {
      assertOpen();
      const running = runs.get(id);
      if (running) {
        running.wakeRequested = true;
        running.wait?.wake();
        await running.promise;
        return;
      }
      const job = await outbox.update((s) => {
        const p = s.pending.find((j) => j.id === id);
        if (p) {
          if (leasedByOther(p)) throw new Error(`sync job ${id} is being sent by another process (pid ${p.lease?.pid})`);
          delete p.nextAttemptAt; // the user asked for now
          p.lease = owner;
          return stripLease(p);
        }
        const f = s.failed.find((j) => j.id === id);
        if (!f) throw new Error(`no sync job ${id} in the outbox ${opts.outboxPath} (already synced or discarded)`);
        const { failedAt: _at, cause: _cause, status: _status, ...back } = f;
        s.failed = s.failed.filter((j) => j.id !== id);
        s.pending.push({ ...back, lease: owner });
        return stripLease(back);
      });
      if (closing) return;
      emit(job, 'queued', job.attempts, { detail: 'retry requested' });
      await startRun(job);
    },

    async discard(id) {
      assertOpen();
      if (runs.has(id)) throw new Error(`sync job ${id} is being sent right now; close or wait for its round to end before discarding it`);
      return outbox.update((s) => {
        const p = s.pending.find((j) => j.id === id);
        if (p && leasedByOther(p)) throw new Error(`sync job ${id} is being sent by another process (pid ${p.lease?.pid})`);
        const before = s.pending.length + s.failed.length;
        s.pending = s.pending.filter((j) => j.id !== id);
        s.failed = s.failed.filter((j) => j.id !== id);
        return s.pending.length + s.failed.length < before;
      });
    },

    async ready() {
      await loaded;
    },

    pending() {
      return outbox
        .snapshot()
        .pending.filter((j) => !delivered.has(j.id))
        .map(stripLease);
    },

    failed() {
      return outbox.snapshot().failed;
    },

    close() {
      closing ??= (async () => {
        lifetime.abort(new SyncEngineClosedError('the sync engine is closed'));
        await loaded;
        await Promise.all([...runs.values()].map((r) => r.promise));
        // Hand our jobs back: the next process (or engine) may take them at once.
        await persist('the release of this engine’s jobs', (s) => {
          for (const j of s.pending) if (j.lease?.instance === instance) delete j.lease;
        });
        unregisterInstance(instance);
      })();
      return closing;
    },
  };
}

function stripLease(j: StoredJob | SyncJob): SyncJob {
  const { lease: _lease, ...job } = j as StoredJob;
  return job;
}

function msg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
