// Crash-safe replacement of a small file, for every store in the product (environments, settings, the sync
// outbox): after a kill -9 or power loss at any instant the path holds either the complete old content or
// the complete new one, never a mix or nothing. Temp file in the same directory (same file system, so the
// rename is atomic) with the final mode before it holds data, fsync, rename, fsync the directory.
// Must never write the target in place.
import { randomBytes } from 'node:crypto';
import { link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of the temp files next to `target`; a leftover one is garbage from a crash before its rename. */
export function tempPrefix(target: string): string {
  return `.${basename(target)}.tmp-`;
}

export interface AtomicWriteOptions {
  /** File mode; default 0600 (these files are the user's alone). */
  mode?: number;
  /** Fail with EEXIST instead of replacing an existing file (atomically, also against other processes). */
  exclusive?: boolean;
}

/**
 * A failed write that names the file the user knows (the target, not the temp file) and keeps the system
 * error's `code` (ENOSPC, EACCES, EEXIST, …) so callers can still decide by it.
 */
export class FileWriteError extends Error {
  override name = 'FileWriteError';
  readonly code: string | undefined;
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    super(`cannot write ${file}: ${describeFsError(cause)}`, { cause });
    this.code = code;
  }
}

/** "ENOSPC (no space left on device)" from a Node fs error, without the path it may quote. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (!e?.code) return e?.message ?? String(err);
  const text = /^[A-Z]+: ([^,]+)/.exec(e.message ?? '')?.[1];
  return text ? `${e.code} (${text})` : e.code;
}

export async function writeFileAtomic(target: string, data: string, opts: AtomicWriteOptions = {}): Promise<void> {
  try {
    await writeAtomic(target, data, opts);
  } catch (err) {
    throw err instanceof FileWriteError ? err : new FileWriteError(target, err);
  }
}

async function writeAtomic(target: string, data: string, opts: AtomicWriteOptions): Promise<void> {
  const mode = opts.mode ?? 0o600;
  const dir = dirname(target);
  const tmp = join(dir, `${tempPrefix(target)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data, 'utf8');
      await fh.chmod(mode); // the umask may have narrowed the open() mode
      await fh.sync();
    } finally {
      await fh.close();
    }
    // link() refuses an existing target, so "create only if absent" needs no lock; rename() replaces.
    if (opts.exclusive) {
      await link(tmp, target);
      await rm(tmp, { force: true });
    } else {
      await rename(tmp, target);
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** fsync a directory so a rename/create/unlink in it is durable. Windows cannot open directories: skipped. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some file systems (and some CI sandboxes) refuse fsync on a directory; the rename already happened.
    if (!isCode(err, 'EINVAL') && !isCode(err, 'EPERM') && !isCode(err, 'EISDIR')) throw err;
  } finally {
    await fh.close();
  }
}

export function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
