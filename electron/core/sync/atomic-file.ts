// Crash-safe replacement of a small file: after a kill -9 or power loss at any instant, the path holds either
// the complete old content or the complete new one, never a mix or nothing. It must never write the target
// in place (a torn write is exactly what it exists to prevent).
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Prefix of the temp files next to `target`; a leftover one is garbage from a crash before its rename. */
export function tempPrefix(target: string): string {
  return `.${basename(target)}.tmp-`;
}

/**
 * Writes `data` to a temp file in the same directory (same file system, so the rename is atomic), fsyncs it,
 * renames it over `target` and fsyncs the directory so the rename itself survives a power loss.
 */
export async function writeFileAtomic(target: string, data: string, mode = 0o600): Promise<void> {
  const dir = dirname(target);
  const tmp = join(dir, `${tempPrefix(target)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
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
