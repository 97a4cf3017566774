import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../../electron/core/sync/sync-engine';
import { currentOwner } from '../../../electron/core/sync/owner';
import type { OutboxIssue, SyncSender } from '../../../electron/core/sync/types';
import { changed, eventLog, readOutbox, tempDir, variablesJob, variablesSender, waitFor } from './fixtures/helpers';
import { startVariablesPeer, type VariablesPeer } from './fixtures/variables-peer';

let dir: string;
let cleanup: () => Promise<void>;
let outboxPath: string;
let peer: VariablesPeer;
const engines: SyncEngine[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  outboxPath = join(dir, 'data', 'outbox.json'); // the data dir does not exist yet
  peer = await startVariablesPeer();
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  await peer.close();
  await cleanup();
});

/** Parks every job (retryable failure, Retry-After one hour) so the outbox keeps them. */
const parked: SyncSender = async () => ({ ok: false, cause: 'network', retryable: true, retryAfterMs: 3_600_000, message: 'offline' });

function engine(over: Partial<SyncEngineOptions> = {}) {
  const log = eventLog();
  const issues: OutboxIssue[] = [];
  const e = createSyncEngine({ outboxPath, resolveSender: () => parked, onStatus: log.onStatus, onIssue: (i) => issues.push(i), baseDelayMs: 1, maxDelayMs: 5, ...over });
  engines.push(e);
  return { e, log, issues };
}

/** The pid of a process that has exited (and been reaped). */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('durable outbox', () => {
  it('50 concurrent enqueues all reach the file, and it is valid JSON at every moment', async () => {
    const { e, log } = engine();
    let reads = 0;
    let torn = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        try {
          JSON.parse(await readFile(outboxPath, 'utf8'));
          reads++;
        } catch (err) {
          if ((err as { code?: string }).code !== 'ENOENT') torn++;
        }
      }
    })();
    const ids = Array.from({ length: 50 }, (_, i) => `job-${i}`);
    void Promise.all(ids.map((id) => e.enqueue(variablesJob(id))));
    await waitFor(() => log.events.filter((ev) => ev.state === 'retrying').length === 50, 'every job parked');
    watching = false;
    await watcher;
    expect(torn).toBe(0);
    expect(reads).toBeGreaterThan(0);
    const onDisk = (await readOutbox(outboxPath))!;
    expect(onDisk.pending.map((j) => j.id).sort()).toEqual([...ids].sort());
    expect(onDisk.pending.every((j) => j.attempts === 1 && j.nextAttemptAt !== undefined)).toBe(true);
    await e.close();
    expect((await readOutbox(outboxPath))!.pending.every((j) => j.lease === undefined)).toBe(true);
    // No temp files or locks are left behind.
    expect((await readdir(join(dir, 'data'))).sort()).toEqual(['outbox.json']);
  });

  it('two engines sharing one file (separate write queues) lose no job', async () => {
    const a = engine();
    const b = engine();
    // Interleaved, so the two write queues contend for the file lock.
    for (let i = 0; i < 20; i++) {
      void a.e.enqueue(variablesJob(`a-${i}`));
      void b.e.enqueue(variablesJob(`b-${i}`));
    }
    await Promise.all([
      waitFor(() => a.log.events.filter((ev) => ev.state === 'retrying').length === 20, 'a parked'),
      waitFor(() => b.log.events.filter((ev) => ev.state === 'retrying').length === 20, 'b parked'),
    ]);
    expect((await readOutbox(outboxPath))!.pending).toHaveLength(40);
  });

  it('a corrupt file is moved aside, reported by name, and a fresh outbox starts — without crashing', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(outboxPath, '{"version":1,"pending":[{"id":"half-writ');
    const { e, issues } = engine({ resolveSender: () => variablesSender(peer.url) });
    await expect(e.enqueue(variablesJob('after-corruption'))).resolves.toBe('synced');
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue).toMatchObject({ kind: 'corrupt-outbox', file: outboxPath });
    expect(issue!.movedTo).toMatch(/outbox\.json\.corrupt-/);
    expect(issue!.message).toContain(outboxPath);
    expect(issue!.message).toContain(issue!.movedTo!);
    expect(issue!.message).toMatch(/is not valid JSON/);
    // The original bytes are kept for a human to rescue.
    expect(await readFile(issue!.movedTo!, 'utf8')).toBe('{"version":1,"pending":[{"id":"half-writ');
    expect(await readOutbox(outboxPath)).toMatchObject({ version: 1, pending: [], failed: [] });
  });

  it('without onIssue, corruption becomes a process warning (never silent)', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(outboxPath, 'garbage');
    const warnings: Error[] = [];
    const onWarning = (w: Error) => {
      warnings.push(w);
      changed();
    };
    process.on('warning', onWarning);
    try {
      const e = createSyncEngine({ outboxPath, resolveSender: () => parked, onStatus: () => undefined });
      engines.push(e);
      await waitFor(() => warnings.length > 0, 'the warning');
      expect(warnings[0]!.message).toContain(outboxPath);
      expect((warnings[0] as Error & { code?: string }).code).toBe('SYNC_CORRUPT_OUTBOX');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('unreadable entries are reported and copied aside; the readable jobs are kept and resumed', async () => {
    await mkdir(join(dir, 'data'));
    const good = { ...variablesJob('good'), createdAt: new Date().toISOString(), attempts: 2 };
    await writeFile(outboxPath, JSON.stringify({ version: 1, pending: [good, { id: 42 }], failed: [] }));
    const { e, issues, log } = engine({ resolveSender: () => variablesSender(peer.url) });
    await e.resumePending();
    expect(log.states('good')).toEqual(['queued', 'sending#3', 'synced']);
    expect(issues).toMatchObject([{ kind: 'invalid-entries', file: outboxPath }]);
    expect(issues[0]!.message).toMatch(/1 unreadable entry \(pending\[1\]: id/);
    expect(JSON.parse(await readFile(issues[0]!.movedTo!, 'utf8')).pending).toHaveLength(2);
  });

  it('a file from a newer format version is set aside, not overwritten', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(outboxPath, JSON.stringify({ version: 2, jobs: [] }));
    const { e, issues } = engine();
    await e.close();
    expect(issues[0]!.message).toMatch(/has format version 2; this build reads version 1/);
    expect(JSON.parse(await readFile(issues[0]!.movedTo!, 'utf8'))).toEqual({ version: 2, jobs: [] });
  });

  it('temp files and a lock left by a killed process are cleaned up', async () => {
    await mkdir(join(dir, 'data'));
    const dead = deadPid();
    await writeFile(join(dir, 'data', `.outbox.json.tmp-${dead}-abcd1234`), '{"version":1,"pen');
    await writeFile(`${outboxPath}.lock`, JSON.stringify({ ...currentOwner('gone'), pid: dead, nonce: 'n', at: new Date().toISOString() }));
    const { e } = engine({ resolveSender: () => variablesSender(peer.url), lockTimeoutMs: 2000 });
    await expect(e.enqueue(variablesJob('after-crash'))).resolves.toBe('synced');
    await e.close();
    expect((await readdir(join(dir, 'data'))).sort()).toEqual(['outbox.json']);
  });

  it('a lock held by a live process is never stolen: the wait ends in an error naming the lock file', async () => {
    await mkdir(join(dir, 'data'));
    // The vitest main process is alive for the whole test.
    await writeFile(`${outboxPath}.lock`, JSON.stringify({ ...currentOwner('other'), pid: process.ppid, nonce: 'n', at: new Date().toISOString() }));
    const { e } = engine({ lockTimeoutMs: 300 });
    await expect(e.enqueue(variablesJob('blocked'))).rejects.toThrow(`the outbox lock ${outboxPath}.lock has been held by process ${process.ppid}`);
  });

  it('resumePending leaves a job leased by a live process alone, and takes over one whose owner died', async () => {
    await mkdir(join(dir, 'data'));
    const job = (id: string) => ({ ...variablesJob(id), createdAt: new Date().toISOString(), attempts: 1 });
    await writeFile(
      outboxPath,
      JSON.stringify({
        version: 1,
        pending: [
          { ...job('busy'), lease: { ...currentOwner('other'), pid: process.ppid } },
          { ...job('orphan'), lease: { ...currentOwner('other'), pid: deadPid() } },
          { ...job('rebooted'), lease: { ...currentOwner('other'), pid: process.ppid, bootAt: 1 } },
        ],
        failed: [],
      }),
    );
    const { e } = engine({ resolveSender: () => variablesSender(peer.url) });
    await e.resumePending();
    expect([...peer.applied.keys()].sort()).toEqual(['orphan', 'rebooted']);
    expect((await readOutbox(outboxPath))!.pending.map((j) => j.id)).toEqual(['busy']);
    await expect(e.retryNow('busy')).rejects.toThrow(/being sent by another process/);
  });
});
