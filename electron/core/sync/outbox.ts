// The durable outbox: one JSON file holding every sync job not yet delivered (`pending`) and every job the
// server refused for good (`failed`, kept for the UI and retryNow). Each change is a read-modify-write under
// an inter-process lock, written atomically (temp file, fsync, rename, fsync dir); changes made at the same
// time are batched into one write. A change that may wait (removing a job the server already took: losing
// that write to a crash only means a harmless resend) is lazy: it rides along with the next write, or goes
// out on its own after LAZY_WRITE_MS — so a dialog's turns cost one write each, not two. It must never lose
// a job: an unreadable file is moved aside and named in a report, never overwritten or silently emptied.
import { copyFile, mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { isCode, tempPrefix, writeFileAtomic } from '../util/atomic-file';
import { staleLockPrefix, withFileLock } from './file-lock';
import { Owner } from './owner';
import { FailedSyncJob, SyncJob, type OutboxIssue } from './types';
import { jsonErrorPosition } from '../util/json-error';

export const OUTBOX_VERSION = 1;
/** How long a lazy change may wait for a write to ride along with. */
export const LAZY_WRITE_MS = 25;

/** A pending job as stored: the job plus the lease of the engine currently sending it, if any. */
export const StoredJob = SyncJob.extend({ lease: Owner.optional() });
export type StoredJob = z.infer<typeof StoredJob>;

export interface OutboxState {
  pending: StoredJob[];
  failed: FailedSyncJob[];
}

const OutboxFile = z.object({
  version: z.literal(OUTBOX_VERSION),
  pending: z.array(z.unknown()),
  failed: z.array(z.unknown()),
});

export interface Outbox {
  readonly path: string;
  /**
   * Applies `change` to the current on-disk state and writes the result. `change` must be synchronous and
   * must validate before it mutates: if it throws, only its own promise rejects and its edits are dropped.
   */
  update<R>(change: (state: OutboxState) => R, opts?: { lazy?: boolean }): Promise<R>;
  /** The state as last read or written by this process (a copy). */
  snapshot(): OutboxState;
}

export interface OutboxOptions {
  owner: Owner;
  onIssue: (issue: OutboxIssue) => void;
  /** Lock wait before giving up; default 30 s. */
  lockTimeoutMs?: number;
}

interface Change {
  /** May wait for the next write (or LAZY_WRITE_MS). */
  lazy: boolean;
  run(state: OutboxState): void;
  /** Settles the caller's promise: with the error of its change or of the write, or with its result. */
  done(err?: unknown): void;
}

export function createOutbox(path: string, opts: OutboxOptions): Outbox {
  const lockPath = `${path}.lock`;
  let last: OutboxState = { pending: [], failed: [] };
  let queue: Change[] = [];
  let draining = false;
  let firstRead = true;
  let lazyTimer: NodeJS.Timeout | undefined;
  let lazyDue = false;
  const hasWork = () => queue.length > 0 && (lazyDue || queue.some((c) => !c.lazy));
  const scheduleLazy = () => {
    lazyTimer ??= setTimeout(() => {
      lazyTimer = undefined;
      lazyDue = true;
      void drain();
    }, LAZY_WRITE_MS);
  };

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (hasWork()) {
        // Every queued change goes into this write, the lazy ones too.
        const batch = queue;
        queue = [];
        lazyDue = false;
        clearTimeout(lazyTimer);
        lazyTimer = undefined;
        const finish: Array<() => void> = [];
        try {
          await mkdir(dirname(path), { recursive: true });
          await withFileLock(
            lockPath,
            async () => {
              if (firstRead) {
                await removeLeftovers();
                firstRead = false;
              }
              const { state, rewrite } = await read();
              const before = JSON.stringify(state);
              for (const change of batch) {
                // Each change works on a draft so a throwing one leaves no half-applied edit behind.
                const draft = clone(state);
                try {
                  change.run(draft);
                  state.pending = draft.pending;
                  state.failed = draft.failed;
                } catch (err) {
                  finish.push(() => change.done(err ?? new Error('outbox change failed')));
                }
              }
              // A batch of look-ups changes nothing: no write, no fsync.
              if (rewrite || JSON.stringify(state) !== before) {
                await writeFileAtomic(path, `${JSON.stringify({ version: OUTBOX_VERSION, ...state }, null, 1)}\n`);
              }
              last = state;
            },
            { owner: opts.owner, timeoutMs: opts.lockTimeoutMs },
          );
        } catch (err) {
          // Nothing of this batch reached the disk: every change in it fails, loudly.
          for (const change of batch) change.done(err ?? new Error('outbox write failed'));
          continue;
        }
        for (const f of finish) f();
        for (const change of batch) change.done(); // a no-op for those already rejected
      }
    } finally {
      draining = false;
      // Lazy changes queued while the last batch was being written wait for their own turn.
      if (queue.length > 0) scheduleLazy();
    }
  }

  /** Current file content; an unreadable file is moved aside (and reported) so that its jobs are kept. */
  async function read(): Promise<{ state: OutboxState; rewrite: boolean }> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (isCode(err, 'ENOENT')) return { state: { pending: [], failed: [] }, rewrite: false };
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return setAside(`is not valid JSON${jsonErrorPosition(err)}`);
    }
    const top = OutboxFile.safeParse(json);
    if (!top.success) {
      const v = (json as { version?: unknown } | null)?.version;
      const why = typeof v === 'number' && v !== OUTBOX_VERSION ? `has format version ${v}; this build reads version ${OUTBOX_VERSION}` : 'does not have the outbox structure';
      return setAside(why);
    }
    const state: OutboxState = { pending: [], failed: [] };
    const bad: string[] = [];
    // Each entry on its own: the readable ones are kept, each unreadable one is named by list and index.
    const readEach = <T>(list: 'pending' | 'failed', entries: unknown[], schema: z.ZodType<T>, into: T[]) =>
      entries.forEach((entry, i) => {
        const p = schema.safeParse(entry);
        if (p.success) into.push(p.data);
        else bad.push(`${list}[${i}]: ${p.error.issues[0]?.path.join('.') ?? ''} ${p.error.issues[0]?.message ?? ''}`.trim());
      });
    readEach('pending', top.data.pending, StoredJob, state.pending);
    readEach('failed', top.data.failed, FailedSyncJob, state.failed);
    if (bad.length > 0) {
      // The readable jobs carry on; the original, with the unreadable entries, is kept as a copy.
      const copy = asideName();
      await copyFile(path, copy);
      opts.onIssue({
        kind: 'invalid-entries',
        file: path,
        movedTo: copy,
        message: `sync outbox ${path}: ${bad.length} unreadable entr${bad.length === 1 ? 'y' : 'ies'} (${bad.slice(0, 3).join('; ')}) — the original file was copied to ${copy}; the other jobs are kept`,
      });
    }
    return { state, rewrite: bad.length > 0 };
  }

  async function setAside(why: string): Promise<{ state: OutboxState; rewrite: boolean }> {
    const aside = asideName();
    await rename(path, aside);
    opts.onIssue({
      kind: 'corrupt-outbox',
      file: path,
      movedTo: aside,
      message: `sync outbox ${path} ${why}; it was moved to ${aside} (its jobs are not lost, only set aside) and a new, empty outbox was started`,
    });
    return { state: { pending: [], failed: [] }, rewrite: true };
  }

  function asideName(): string {
    return `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
  }

  /** Temp files and broken locks left by a process killed mid-write; harmless, as the rename never happened. */
  async function removeLeftovers(): Promise<void> {
    const dir = dirname(path);
    const tmp = tempPrefix(path);
    const stale = basename(staleLockPrefix(lockPath));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    // We hold the lock and every write happens under it: no live process is writing one of these now.
    await Promise.all(
      names.filter((n) => n.startsWith(tmp) || n.startsWith(stale)).map((n) => rm(join(dir, n), { force: true }).catch(() => undefined)),
    );
  }

  return {
    path,
    update<R>(change: (state: OutboxState) => R, updateOpts: { lazy?: boolean } = {}): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        let result: R;
        let settled = false;
        const lazy = updateOpts.lazy === true;
        queue.push({
          lazy,
          run(state) {
            result = change(state);
          },
          done(err) {
            if (settled) return;
            settled = true;
            if (err === undefined) resolve(result);
            else reject(err instanceof Error ? err : new Error(typeof err === 'string' ? err : `outbox change failed: ${JSON.stringify(err)}`));
          },
        });
        if (lazy) scheduleLazy();
        else void drain();
      });
    },
    snapshot() {
      return clone(last);
    },
  };
}

function clone(state: OutboxState): OutboxState {
  return structuredClone(state);
}
