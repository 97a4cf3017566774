// An advisory inter-process lock next to a file (`<file>.lock`, created with O_EXCL), held only for the few
// milliseconds of a read-modify-write, so that the desktop app and a CLI run sharing one outbox never
// overwrite each other's jobs. A lock left by a killed process is broken once its owner is provably dead;
// a live owner is never robbed — a lock held too long is an error naming the file, not a silent steal.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { FileWriteError, isCode } from '../util/atomic-file';
import { Owner, isOwnerAlive } from './owner';
import { z } from 'zod';

const LockContent = Owner.extend({ nonce: z.string(), at: z.string() });

/** A lock file that stays empty or unreadable this long was left by a process killed while creating it. */
const UNREADABLE_STALE_MS = 2_000;

export interface FileLockOptions {
  owner: Owner;
  /** Give up (with an error naming the lock file and its holder) after waiting this long. Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, opts: FileLockOptions): Promise<T> {
  const nonce = await acquire(lockPath, opts);
  try {
    return await fn();
  } finally {
    await release(lockPath, nonce);
  }
}

async function acquire(lockPath: string, opts: FileLockOptions): Promise<string> {
  const nonce = randomBytes(8).toString('hex');
  const content = JSON.stringify({ ...opts.owner, nonce, at: new Date().toISOString() });
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let pause = 2;
  for (;;) {
    opts.signal?.throwIfAborted();
    let fh;
    try {
      fh = await open(lockPath, 'wx', 0o600);
    } catch (err) {
      if (!isCode(err, 'EEXIST')) throw new FileWriteError(lockPath, err);
    }
    if (fh) {
      try {
        await fh.writeFile(content, 'utf8');
      } catch (err) {
        // A full disk lets the file be created but not filled: leave no empty lock for others to wait on.
        await fh.close().catch(() => undefined);
        await rm(lockPath, { force: true }).catch(() => undefined);
        throw new FileWriteError(lockPath, err);
      }
      await fh.close();
      return nonce;
    }
    const held = await inspect(lockPath);
    if (held === undefined) continue; // released between our open and our look: try again at once
    if (held.stale) {
      await breakStale(lockPath, held);
      continue;
    }
    if (Date.now() > deadline) {
      const who = held.holder ? `process ${held.holder.pid} on ${held.holder.host}` : 'an unknown process';
      throw new Error(
        `the outbox lock ${lockPath} has been held by ${who} for too long; if no other copy of the app or CLI is running, delete that file`,
      );
    }
    await new Promise((r) => setTimeout(r, pause + Math.floor(Math.random() * pause)));
    pause = Math.min(pause * 2, 50);
  }
}

export interface HeldLock {
  ino: number;
  mtimeMs: number;
  stale: boolean;
  holder?: z.infer<typeof LockContent>;
}

export async function inspect(lockPath: string): Promise<HeldLock | undefined> {
  let st;
  let text;
  try {
    st = await stat(lockPath);
    text = await readFile(lockPath, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT')) return undefined;
    throw err;
  }
  const parsed = LockContent.safeParse(safeJson(text));
  if (!parsed.success) return { ino: st.ino, mtimeMs: st.mtimeMs, stale: Date.now() - st.mtimeMs > UNREADABLE_STALE_MS };
  return { ino: st.ino, mtimeMs: st.mtimeMs, stale: !isOwnerAlive(parsed.data), holder: parsed.data };
}

/**
 * Removes a stale lock — but only while holding the breaker lock (`<lock>.stale-break`, O_EXCL), and only if
 * the lock is still the stale one we looked at (same inode and the same holder's nonce, or for an unreadable
 * one the same modification time: inode numbers are reused at once on common file systems). Breakers take turns, so no breaker can remove a
 * fresh lock another process took in the meantime: the lock path is never empty while a live owner holds it.
 * (Moving the lock aside and putting a fresh one back left such a gap: two processes could then both believe
 * they held it, and one read-modify-write of the outbox could drop the other's job.)
 */
export async function breakStale(lockPath: string, seen: HeldLock): Promise<void> {
  const breaker = `${staleLockPrefix(lockPath)}break`;
  let fh;
  try {
    fh = await open(breaker, 'wx', 0o600);
  } catch (err) {
    if (!isCode(err, 'EEXIST')) throw err;
    // Another process is breaking it; a breaker killed in those few milliseconds leaves its file behind.
    const st = await stat(breaker).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > UNREADABLE_STALE_MS) await rm(breaker, { force: true });
    await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 5)));
    return;
  }
  try {
    await fh.close();
    const now = await inspect(lockPath);
    const same = now !== undefined && now.ino === seen.ino && (seen.holder ? now.holder?.nonce === seen.holder.nonce : !now.holder && now.mtimeMs === seen.mtimeMs);
    if (same && now.stale) await rm(lockPath, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

async function release(lockPath: string, nonce: string): Promise<void> {
  try {
    const held = LockContent.safeParse(safeJson(await readFile(lockPath, 'utf8')));
    // Only remove our own lock: if ours was (wrongly) broken, the file now belongs to someone else.
    if (held.success && held.data.nonce === nonce) await rm(lockPath, { force: true });
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Name prefix of stale locks moved aside; a leftover one (killed mid-break) is garbage. */
export function staleLockPrefix(lockPath: string): string {
  return `${lockPath}.stale-`;
}
