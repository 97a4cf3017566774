// The outbox a session reports counts the syncs the server refused as well as the pending ones, and the
// texts a refused sync carries name what a person can do, never an internal function.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { createSyncService, type SyncService } from '../../../electron/core/session/sync-service';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
let dir: string;
let sync: SyncService;
beforeAll(async () => {
  peer = await startPeer();
  dir = await mkdtemp(join(tmpdir(), 'outbox-counts-'));
  sync = createSyncService({ dataDir: dir, baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 2 });
});
afterAll(async () => {
  await sync.close();
  await peer.sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('outbox counts', () => {
  it('a sync the server refuses is counted as failed (not lost from the count) and says how to retry it', async () => {
    const engine = createSessionEngine({ environment: peer.gatewayEnv, secrets: peer.secrets, sync });
    const events: SessionEvent[] = [];
    engine.subscribe((e) => events.push(e));
    try {
      peer.sim.failNext('variables', 400);
      const summary = await engine.startTurn({ input: 'refuse my sync', scenario: 'happy' });
      expect(await summary.sync).toBe('failed');
      expect(engine.outboxCounts()).toEqual({ pending: 0, failed: 1 });
      const failed = events.find((e): e is Extract<SessionEvent, { type: 'sync' }> => e.type === 'sync' && e.state === 'failed')!;
      expect(failed.detail).toMatch(/Retry now, or `sync retry [\w-]+` on the command line/);
      for (const e of events) expect(JSON.stringify(e)).not.toMatch(/retryNow/);
    } finally {
      await engine.close();
    }
  });
});
