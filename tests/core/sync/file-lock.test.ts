// The outbox lock's stale-lock breaking: a breaker acting on an old look at a dead owner's lock must never
// remove the fresh lock a live process took meanwhile (two holders would mean one read-modify-write of the
// outbox dropping another's job — seen once as a lost write-back under kill -9 with five processes).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { breakStale, inspect, withFileLock } from '../../../electron/core/sync/file-lock';
import { currentOwner } from '../../../electron/core/sync/owner';
import { tempDir } from './fixtures/helpers';

const dirs: Array<{ cleanup(): Promise<void> }> = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.cleanup();
});

/** A lock left by a process that has exited (its pid is provably dead now). */
function deadOwnersLock(lockPath: string): void {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  const pid = Number(child.stdout.toString());
  writeFileSync(lockPath, JSON.stringify({ ...currentOwner('dead'), pid, nonce: 'dead-nonce', at: new Date().toISOString() }));
}

describe('file lock: breaking a stale lock', () => {
  it('a breaker with an old look at the dead lock leaves the fresh lock of a live holder alone', async () => {
    const d = await tempDir();
    dirs.push(d);
    const lockPath = `${d.dir}/outbox.json.lock`;
    deadOwnersLock(lockPath);
    const seen = await inspect(lockPath);
    expect(seen?.stale).toBe(true);
    const owner = currentOwner('live');
    await withFileLock(
      lockPath,
      async () => {
        // We hold a fresh lock now (acquire broke the dead one). A slower breaker acts on its old look.
        const mine = readFileSync(lockPath, 'utf8');
        expect(mine).not.toContain('dead-nonce');
        await breakStale(lockPath, seen!);
        expect(existsSync(lockPath)).toBe(true);
        expect(readFileSync(lockPath, 'utf8')).toBe(mine);
      },
      { owner, timeoutMs: 5_000 },
    );
    expect(existsSync(lockPath)).toBe(false);
  });

  it('breaks a dead owner\'s lock and lets the next process in', async () => {
    const d = await tempDir();
    dirs.push(d);
    const lockPath = `${d.dir}/outbox.json.lock`;
    deadOwnersLock(lockPath);
    const ran = await withFileLock(lockPath, async () => 'in', { owner: currentOwner('next'), timeoutMs: 5_000 });
    expect(ran).toBe('in');
  });
});
