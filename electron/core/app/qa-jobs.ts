// QA jobs (record a script, a replay run, a compare): long work owned by the app service, not by a
// window, so a reloaded page finds a running job and follows it on. Every change is pushed to every window
// (`main:qa.job`); the finished jobs stay listed (the last few) with what they produced.
// Must never push anything but the job's own summary data: no secret reaches a job.
import { randomUUID } from 'node:crypto';
import type { QaJob, QaJobDetail, QaJobKind, ReplayCassetteData, ReplayTurnData } from '../../../shared/qa-ipc';
import type { PushChannel, PushPayload } from '../../../shared/ipc';
import { AppError } from './app-error';

export interface Broadcast {
  push<C extends PushChannel>(channel: C, payload: PushPayload<C>): void;
}

export interface JobControl {
  readonly job: QaJob;
  readonly signal: AbortSignal;
  /** The detail a reloaded page gets (results so far). */
  detail: Omit<QaJobDetail, 'job'>;
  update(patch: Partial<Pick<QaJob, 'progress' | 'recording' | 'error'>>, extra?: { turn?: ReplayTurnData; cassette?: ReplayCassetteData }): void;
  /** Anything the job keeps main-side for later requests (a replay's full report). */
  keep: Record<string, unknown>;
}

export interface QaJobs {
  /** Starts `run` as a job; resolves as soon as it is registered (its end is pushed). */
  start(o: { kind: QaJobKind; title: string; environment: string; compare?: QaJob['compare'] }, run: (c: JobControl) => Promise<void>): QaJob;
  get(jobId: string): JobControl;
  list(): QaJobDetail[];
  cancel(jobId: string): void;
  /** Stops every running job (the app is closing) and waits for them to wind down. */
  close(): Promise<void>;
}

/** Finished jobs kept for a reloaded page, newest last. */
const KEEP_FINISHED = 10;

export function createQaJobs(broadcast: Broadcast): QaJobs {
  const jobs = new Map<string, { control: JobControl; abort: AbortController; done: Promise<void>; cancelled: boolean }>();
  let closing = false;

  function prune(): void {
    const finished = [...jobs.values()].filter((j) => j.control.job.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) jobs.delete(j.control.job.id);
  }

  return {
    start(o, run) {
      if (closing) throw new AppError('failed', 'the app is closing');
      const abort = new AbortController();
      const job: QaJob = {
        id: randomUUID(),
        kind: o.kind,
        state: 'running',
        title: o.title,
        environment: o.environment,
        startedAt: new Date().toISOString(),
        progress: { cassettes: { done: 0, total: 0 }, turns: { done: 0, total: 0 } },
        ...(o.compare ? { compare: o.compare } : {}),
      };
      const entry = { abort, cancelled: false, done: Promise.resolve(), control: undefined as unknown as JobControl };
      const control: JobControl = {
        get job() {
          return job;
        },
        signal: abort.signal,
        detail: {},
        keep: {},
        update(patch, extra) {
          Object.assign(job, patch);
          broadcast.push('main:qa.job', { job: { ...job }, ...extra });
        },
      };
      entry.control = control;
      jobs.set(job.id, entry);
      broadcast.push('main:qa.job', { job: { ...job } });
      entry.done = (async () => {
        try {
          await run(control);
          job.state = closing ? 'stopped' : entry.cancelled ? 'cancelled' : 'done';
        } catch (err) {
          job.state = closing ? 'stopped' : entry.cancelled ? 'cancelled' : 'failed';
          job.error = (err as Error).message ?? String(err);
        }
        job.endedAt = new Date().toISOString();
        delete job.progress.current;
        broadcast.push('main:qa.job', { job: { ...job } });
        prune();
      })();
      return { ...job };
    },
    get(jobId) {
      const j = jobs.get(jobId);
      if (!j) throw new AppError('not-found', 'no such QA run (it ended too long ago, or the app restarted)');
      return j.control;
    },
    list() {
      return [...jobs.values()].map((j) => ({ job: { ...j.control.job }, ...j.control.detail }));
    },
    cancel(jobId) {
      const j = jobs.get(jobId);
      if (!j) throw new AppError('not-found', 'no such QA run');
      if (j.control.job.state !== 'running') return;
      j.cancelled = true;
      j.abort.abort();
    },
    async close() {
      closing = true;
      for (const j of jobs.values()) j.abort.abort();
      await Promise.allSettled([...jobs.values()].map((j) => j.done));
    },
  };
}
