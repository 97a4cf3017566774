// The in-memory outbox (the demo's: its receiver ends with the process): the sync engine keeps the same
// contract on it — write-ahead before `queued`, retries, the failed list, retryNow, discard — and nothing
// reaches the disk.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryOutbox } from '../../../electron/core/sync/memory-outbox';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../../electron/core/sync/sync-engine';
import { openSession } from '../../../electron/core/session/open-session';
import { runEngineTurn } from '../../../electron/core/recording/engine-turn';
import { eventLog, tempDir, variablesJob, variablesSender } from './fixtures/helpers';
import { seededRandom } from './fixtures/seeded-random';
import { startVariablesPeer, type VariablesPeer } from './fixtures/variables-peer';

let peer: VariablesPeer;
let dir: string;
let cleanup: () => Promise<void>;
const engines: SyncEngine[] = [];

beforeEach(async () => {
  peer = await startVariablesPeer();
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  await peer.close();
  await cleanup();
});

function engine(over: Partial<SyncEngineOptions> = {}) {
  const log = eventLog();
  const e = createSyncEngine({
    outboxPath: join(dir, 'outbox.json'),
    memoryOnly: true,
    resolveSender: () => variablesSender(peer.url),
    onStatus: log.onStatus,
    onIssue: (i) => {
      throw new Error(`unexpected outbox issue: ${i.message}`);
    },
    baseDelayMs: 1,
    maxDelayMs: 5,
    random: seededRandom(1),
    ...over,
  });
  engines.push(e);
  return { e, log };
}

describe('memory outbox', () => {
  it('keeps the job pending before the first send, removes it once synced, and writes no file', async () => {
    const pendingAtSend: string[][] = [];
    const { e, log } = engine({
      resolveSender: () => {
        const send = variablesSender(peer.url);
        return async (job, ctx) => {
          pendingAtSend.push(e.pending().map((j) => j.id));
          return send(job, ctx);
        };
      },
    });
    peer.script({ status: 503 });
    await expect(e.enqueue(variablesJob('job-1'))).resolves.toBe('synced');
    expect(pendingAtSend).toEqual([['job-1'], ['job-1']]);
    expect(log.states()).toEqual(['queued', 'sending#1', 'retrying#1', 'sending#2', 'synced']);
    expect(peer.attempts.map((a) => a.key)).toEqual(['job-1', 'job-1']);
    expect(e.pending()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a refused job goes to the failed list; retryNow sends it again, discard drops it', async () => {
    peer.script({ status: 404, body: { error: 'unknown dialog' } }, { status: 404, body: { error: 'unknown dialog' } });
    const { e, log } = engine();
    await expect(e.enqueue(variablesJob('job-404'))).resolves.toBe('failed');
    expect(e.failed()).toMatchObject([{ id: 'job-404', cause: 'not_found', status: 404, attempts: 1 }]);
    await e.retryNow('job-404');
    expect(log.states()).toEqual(['queued', 'sending#1', 'failed', 'queued', 'sending#2', 'failed']);
    await expect(e.discard('job-404')).resolves.toBe(true);
    expect(e.failed()).toEqual([]);
    await expect(e.retryNow('job-404')).rejects.toThrow(/no sync job job-404 in the outbox/);
    await expect(e.enqueue(variablesJob('job-ok'))).resolves.toBe('synced');
  });

  it('runs changes in order, each on a draft: a throwing change rejects alone and leaves nothing behind', async () => {
    const o = createMemoryOutbox('test');
    const seen: number[] = [];
    const first = o.update((s) => {
      seen.push(s.pending.length);
      s.pending.push({ ...variablesJob('a'), attempts: 0, createdAt: 'now' });
    });
    const bad = o.update((s) => {
      s.pending.push({ ...variablesJob('half'), attempts: 0, createdAt: 'now' });
      throw new Error('refused');
    });
    const third = o.update((s) => {
      seen.push(s.pending.length);
      return s.pending.map((j) => j.id);
    });
    await expect(first).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('refused');
    await expect(third).resolves.toEqual(['a']);
    expect(seen).toEqual([0, 1]);
    // A snapshot is a copy: editing it changes nothing.
    o.snapshot().pending.length = 0;
    expect(o.snapshot().pending.map((j) => j.id)).toEqual(['a']);
  });

  it('the demo session syncs every answer to its simulator without any outbox file', async () => {
    const data = join(dir, 'data');
    const s = await openSession({ env: 'demo', dataDir: data, speed: 0 });
    try {
      const turn = await runEngineTurn(s.engine, { input: 'hello' });
      expect(turn.summary.status).toBe('complete');
      expect(turn.events.filter((ev) => ev.type === 'sync').map((ev) => ev.type === 'sync' && ev.state)).toEqual(['queued', 'sending', 'synced']);
    } finally {
      await s.close();
    }
    expect(await readdir(data).catch(() => [])).not.toContain('outbox.json');
  });
});
