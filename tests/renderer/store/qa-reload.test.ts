// A compare in progress survives a window reload: a second window's store (a reloaded page) connects to the
// same real app service mid-compare, catches up with what each side already streamed, follows the rest of
// the pushes without doubling or losing an event, and ends with the same two answers and the same diff as
// the window that started it.
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService, type AppService } from '../../../electron/core/app/app-service';
import { createDefaultDeps, type DefaultDeps } from '../../../electron/core/app/default-deps';
import { createSenderPolicy } from '../../../electron/core/app/sender-policy';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';
import { createAppStore, type AppStore } from '../../../renderer/src/store/store';
import { toString } from '../../../renderer/src/text/text-lines';
import { connectInMemory, type InMemoryConnection } from '../../helpers/in-memory-transport';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WINDOW = 'http://127.0.0.1:4000/';
let dir: string;
let deps: DefaultDeps;
let service: AppService;
const conns: InMemoryConnection[] = [];
const stores: AppStore[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) s.dispose();
  for (const c of conns.splice(0)) await c.close();
  await service.close();
  await deps.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function window(): { store: AppStore; conn: InMemoryConnection } {
  const conn = connectInMemory(service, WINDOW);
  const store = createAppStore(conn.api);
  conns.push(conn);
  stores.push(store);
  return { store, conn };
}

/** Resolves when `check` holds, re-checked on every change of the store (the end comes in a reply, not a push). */
function settled<T>(store: AppStore, check: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const attempt = () => {
      const v = check();
      if (v) {
        off();
        clearTimeout(timer);
        resolve(v);
      }
    };
    const off = store.subscribe(attempt);
    const timer = setTimeout(() => (off(), reject(new Error(`timed out after ${ms} ms waiting for ${what}`))), ms);
    attempt();
  });
}

const answers = (store: AppStore, jobId: string) => {
  const run = store.getState().qa.compares[jobId];
  return (['a', 'b'] as const).map((side) => run?.turns[side].order.map((id) => `${run.turns[side].byId[id]!.status}: ${toString(run.turns[side].byId[id]!.filtered)}`));
};

describe('QA jobs across a reload', () => {
  it('a reloaded window catches up with a running compare and ends where the first one does', async () => {
    dir = mkdtempSync(join(tmpdir(), 'qa-reload-'));
    // Realistic pacing: the compare is still streaming when the second window connects.
    deps = createDefaultDeps({ mode: 'browser', dataDir: dir, secrets: createMemoryStore(), demoSpeed: 1 });
    service = createAppService(deps, { isTrustedSender: createSenderPolicy({ origins: [WINDOW] }) });
    const first = window();
    first.store.getState().qa.setCompare({ compareA: { environment: 'demo', scenario: 'happy' }, compareB: { environment: 'demo', scenario: 'pii' }, compareInput: 'Tell me about my card' });
    await first.store.getState().qa.compare();
    const jobId = first.store.getState().qa.current.compare!;
    // Mid-stream: side A has some tokens, and the job still runs.
    await first.conn.changes.until(() => (first.store.getState().qa.compares[jobId]?.seen.a ?? 0) > 5, 'side A to stream');
    expect(first.store.getState().qa.jobs[jobId]?.state).toBe('running');

    const second = window();
    await second.store.getState().qa.load();
    expect(second.store.getState().qa.current.compare).toBe(jobId);
    await settled(second.store, () => second.store.getState().qa.compares[jobId]?.result, 'the compare to end in the reloaded window');
    await settled(first.store, () => first.store.getState().qa.compares[jobId]?.result, 'the compare to end in the first window');

    const events = await second.conn.api.invoke('renderer:compare.events', { jobId });
    const run2 = second.store.getState().qa.compares[jobId]!;
    // Every event once: what was fetched, then only the pushes after it.
    expect(run2.seen).toEqual({ a: events.a.length, b: events.b.length });
    expect(answers(second.store, jobId)).toEqual(answers(first.store, jobId));
    const [a, b] = answers(second.store, jobId);
    expect(a?.[0]).toMatch(/^complete: Happy to help/);
    expect(b?.[0]).toMatch(/^complete: .*\[CREDIT_CARD\]/s);
    expect(run2.result).toEqual(first.store.getState().qa.compares[jobId]!.result);
    expect(run2.result?.same).toBe(false);
  }, 60_000);
});
