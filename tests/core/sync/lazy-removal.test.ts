// A delivered job leaves the outbox lazily: "synced" is said as soon as the server took it (pending() then
// leaves it out), its removal rides along with the next write, and the round ends once the file says so.
// What may wait is only ever a removal: a job is on disk before its first send, every time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../../electron/core/sync/outbox';
import { currentOwner, registerInstance, unregisterInstance } from '../../../electron/core/sync/owner';
import { createSyncEngine, type SyncEngine } from '../../../electron/core/sync/sync-engine';
import type { SyncJob } from '../../../electron/core/sync/types';
import { eventLog, readOutbox, variablesJob, variablesSender } from './fixtures/helpers';
import { usePeerAndDir } from './fixtures/peer-and-dir';

const fx = usePeerAndDir();

const onDisk = (): string[] => (JSON.parse(readFileSync(fx.outboxPath, 'utf8')) as { pending: Array<{ id: string }> }).pending.map((j) => j.id);

describe('lazy removal of delivered syncs', () => {
  it('"synced" comes while the job is still on disk; pending() already leaves it out; the round ends with the file updated', async () => {
    const log = eventLog();
    const atSynced: Array<{ file: string[]; pending: string[] }> = [];
    const e: SyncEngine = createSyncEngine({
      outboxPath: fx.outboxPath,
      resolveSender: () => variablesSender(fx.peer.url),
      onStatus: (ev) => {
        log.onStatus(ev);
        if (ev.state === 'synced') atSynced.push({ file: onDisk(), pending: e.pending().map((j) => j.id) });
      },
    });
    fx.engines.push(e);
    await expect(e.enqueue(variablesJob('job-lazy'))).resolves.toBe('synced');
    expect(log.states()).toEqual(['queued', 'sending#1', 'synced']);
    expect(atSynced).toEqual([{ file: ['job-lazy'], pending: [] }]);
    expect((await readOutbox(fx.outboxPath))?.pending).toEqual([]);
    expect(fx.peer.attempts.map((a) => a.key)).toEqual(['job-lazy']);
  });

  it('a lazy change goes into the next write with the change that needs one, in order', async () => {
    registerInstance('lazy-test');
    try {
      const outbox = createOutbox(fx.outboxPath, { owner: currentOwner('lazy-test'), onIssue: () => undefined });
      const job = (id: string): SyncJob => ({ ...variablesJob(id), attempts: 0, createdAt: new Date().toISOString() });
      await outbox.update((s) => void s.pending.push(job('a')));
      const removed = outbox.update((s) => void (s.pending = s.pending.filter((j) => j.id !== 'a')), { lazy: true });
      // Queued right behind it: one batch, so this change sees the lazy one applied before it.
      const seen = await outbox.update((s) => {
        s.pending.push(job('b'));
        return s.pending.map((j) => j.id);
      });
      await removed;
      expect(seen).toEqual(['b']);
      expect(onDisk()).toEqual(['b']);
    } finally {
      unregisterInstance('lazy-test');
    }
  });
});
