// newDialog(): one session engine runs several dialogs one after another (replay: one per cassette), and
// nothing of one dialog reaches the next: the Socket Endpoint sees a new session and user, the write-back
// goes to the new session, the usage totals restart. A dialog change in the middle of a turn is refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Environment } from '../../../shared/environment';
import type { SessionEvent } from '../../../shared/events';
import { createSessionEngine } from '../../../electron/core/session/session-engine';
import { createSyncService, type SyncService } from '../../../electron/core/session/sync-service';
import { startPeer, type TestPeer } from '../../helpers/simulator';

let peer: TestPeer;
let dir: string;
let sync: SyncService;
beforeAll(async () => {
  peer = await startPeer();
  dir = await mkdtemp(join(tmpdir(), 'new-dialog-'));
  sync = createSyncService({ dataDir: dir });
});
afterAll(async () => {
  await sync.close();
  await peer.sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('session engine newDialog', () => {
  it('the next turn runs in a new session with a new user, its write-back lands there, totals restart', async () => {
    // No configured user or session id: both are the engine's to choose, per dialog.
    const s = peer.socketEnv.socketEndpoint;
    const environment = Environment.parse({ ...peer.socketEnv, socketEndpoint: { endpointUrl: s.endpointUrl, urlToken: s.urlToken, apiUrl: s.apiUrl } });
    const engine = createSessionEngine({ environment, secrets: peer.secrets, sync, idleTimeoutMs: 5_000 });
    const starts: Array<Extract<SessionEvent, { type: 'turn.start' }>> = [];
    engine.subscribe((e) => e.type === 'turn.start' && starts.push(e));
    try {
      const first = engine.sessionId;
      const one = await engine.startTurn({ input: 'first dialog', scenario: 'happy' });
      expect(await one.sync).toBe('synced');
      const inputOne = peer.sim.socketInputs.at(-1)!;
      expect(inputOne.sessionId).toBe(first);
      expect(engine.totals().turns).toBe(1);

      await engine.newDialog();
      const second = engine.sessionId;
      expect(second).not.toBe(first);
      expect(engine.totals().turns).toBe(0);
      const two = await engine.startTurn({ input: 'second dialog', scenario: 'happy' });
      expect(await two.sync).toBe('synced');
      const inputTwo = peer.sim.socketInputs.at(-1)!;
      expect(inputTwo.sessionId).toBe(second);
      expect(inputTwo.payload.userId).toEqual(expect.any(String));
      expect(inputTwo.payload.userId).not.toBe(inputOne.payload.userId);
      expect(starts.map((e) => e.sessionId)).toEqual([first, second]);
      // Each dialog's answer was written back to its own session, none to the other.
      expect(peer.sim.contexts.get(first)?.llm_response).toBe(one.filteredText);
      expect(peer.sim.contexts.get(second)?.llm_response).toBe(two.filteredText);
      expect(engine.totals().turns).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('is refused while a turn runs, and the running turn keeps its session', async () => {
    const engine = createSessionEngine({ environment: peer.gatewayEnv, secrets: peer.secrets, idleTimeoutMs: 5_000 });
    try {
      const before = engine.sessionId;
      const turn = engine.startTurn({ input: 'still running', scenario: 'happy' });
      await expect(engine.newDialog()).rejects.toThrow(/a turn is running in this session/);
      expect(engine.sessionId).toBe(before);
      expect((await turn).status).toBe('complete');
      await engine.newDialog();
      expect(engine.sessionId).not.toBe(before);
      expect((await engine.startTurn({ input: 'after the change', scenario: 'happy' })).status).toBe('complete');
    } finally {
      await engine.close();
    }
  });
});
