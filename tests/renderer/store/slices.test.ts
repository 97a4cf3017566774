// The store's slices over the real app service (tests/renderer/real-api.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { boot, createAppStore } from '../../../renderer/src/store/store';
import { createRealApi, type RealApi } from '../real-api';
import { end, start, streamed } from '../events';

const apis: RealApi[] = [];
const realApi = (o?: Parameters<typeof createRealApi>[0]) => {
  const a = createRealApi(o);
  apis.push(a);
  return a;
};
afterEach(async () => {
  localStorage.clear();
  for (const a of apis.splice(0)) await a.close();
});

describe('store slices', () => {
  it('boots into the demo, remembers the picked environment, and restores it on the next launch', async () => {
    const api = realApi();
    await api.invoke('renderer:env.save', { environment: { name: 'acme', kind: 'gateway', gateway: { host: 'acme.cognigy.ai', clientId: 'c' } } });
    const store = createAppStore(api);
    await boot(store);
    expect(store.getState().environments.selected).toBe('demo');
    expect(store.getState().session).toMatchObject({ state: 'open', sessionId: api.sessionId, environment: 'demo' });
    expect(api.sessionId).not.toBe('');
    await store.getState().environments.select('acme');
    expect(store.getState().session.environment).toBe('acme');
    store.dispose();

    const again = createAppStore(api);
    await boot(again);
    expect(again.getState().environments.selected).toBe('acme');
    again.dispose();
  });

  it('applies a batch in one update, ignores other sessions, tracks the streaming turn and follows it', async () => {
    const api = realApi();
    const store = createAppStore(api);
    await boot(store);
    let updates = 0;
    const off = store.subscribe(() => updates++);
    api.emit([start('t1'), ...streamed('t1', 'hello world')]);
    expect(updates).toBe(1);
    expect(store.getState().session.activeTurnId).toBe('t1');
    expect(store.getState().ui.selectedTurnId).toBe('t1');
    api.push('main:session.events', { sessionId: 'other', batch: 0, events: [start('x')] });
    expect(store.getState().session.turns.order).toEqual(['t1']);
    api.emit([end('t1', 'complete', 11)]);
    expect(store.getState().session.activeTurnId).toBeUndefined();
    expect(store.getState().session.batches).toBe(2);
    off();
    store.dispose();
  });

  it('applies the batches that arrived between two frames together, in order, in one update (a renderer behind a fast stream catches up)', async () => {
    const api = realApi();
    const frames: Array<() => void> = [];
    const store = createAppStore(api, { frame: (flush) => frames.push(flush) });
    await boot(store);
    let updates = 0;
    const off = store.subscribe(() => updates++);
    const text = 'one two three four five six';
    const events = [start('t1'), ...streamed('t1', text), end('t1', 'complete', text.length)];
    // Four batches before the frame: none is applied yet, and one frame is asked for, not four.
    for (let i = 0; i < 4; i++) api.emit(events.slice((i * events.length) / 4, ((i + 1) * events.length) / 4));
    api.push('main:session.events', { sessionId: 'other', batch: 0, events: [start('x')] });
    expect(updates).toBe(0);
    expect(store.getState().session.turns.order).toEqual([]);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(updates).toBe(1);
    const s = store.getState().session;
    expect(s.turns.order).toEqual(['t1']);
    const t = s.turns.byId.t1!;
    expect(t.raw.lines.join('\n')).toBe(text);
    expect(t.status).toBe('complete');
    expect(t.spanStart.length).toBe(streamed('t1', text).filter((e) => e.type === 'raw.text').length);
    expect(s.batches).toBe(4);
    expect(s.lastBatch).toBe(3);
    expect(s.activeTurnId).toBeUndefined();
    // The next batch asks for the next frame.
    api.emit([start('t2')]);
    expect(frames).toHaveLength(1);
    off();
    store.dispose();
  });

  it('a send first applies what has arrived (the composer decides on the turns as they are)', async () => {
    const api = realApi();
    const frames: Array<() => void> = [];
    const store = createAppStore(api, { frame: (flush) => frames.push(flush) });
    await boot(store);
    // A turn still streaming, its start not applied yet: the send is refused as if it were.
    api.emit([start('t1'), ...streamed('t1', 'abc')]);
    expect(await store.getState().session.send('again')).toBe(false);
    expect(store.getState().session.activeTurnId).toBe('t1');
    expect(frames).toHaveLength(1);
    // The queued frame finds nothing left to apply.
    frames.shift()!();
    expect(store.getState().session.batches).toBe(1);
    store.dispose();
  });

  it('keeps sync timelines per sync id and the outbox count of this session only', async () => {
    const api = realApi();
    const store = createAppStore(api);
    await boot(store);
    api.emit([
      { type: 'sync', turnId: 't', at: 1, syncId: 's', target: 'context-inject', state: 'queued', attempt: 0 },
      { type: 'sync', turnId: 't', at: 2, syncId: 's', target: 'context-inject', state: 'sending', attempt: 1 },
      { type: 'sync', turnId: 't', at: 3, syncId: 's', target: 'context-inject', state: 'synced', attempt: 1 },
    ]);
    expect(store.getState().sync.byId.s!.steps.map((x) => x.state)).toEqual(['queued', 'sending', 'synced']);
    expect(store.getState().sync.byId.s!.state).toBe('synced');
    api.push('main:sync.outbox', { sessionId: 'elsewhere', pending: 9, failed: 0 });
    expect(store.getState().sync.pending).toBe(0);
    api.push('main:sync.outbox', { sessionId: api.sessionId, pending: 1, failed: 0 });
    expect(store.getState().sync.pending).toBe(1);
    store.dispose();
  });

  it('saves settings through the API and rolls back when refused', async () => {
    const api = realApi();
    const store = createAppStore(api);
    await boot(store);
    await store.getState().settings.toggleTokenBoundaries();
    expect(store.getState().settings.values.showTokenBoundaries).toBe(false);
    const before = store.getState().settings.values.stallThresholdMs;
    await store.getState().settings.update({ stallThresholdMs: -5 });
    expect(store.getState().settings.values.stallThresholdMs).toBe(before);
    // Refused by main, not only by the store: what main holds is unchanged too.
    expect((await api.invoke('renderer:settings.get', {})).stallThresholdMs).toBe(before);
    expect(store.getState().settings.error).toMatch(/stallThresholdMs/);
    store.dispose();
  });

  it('turns API errors into readable messages without losing the session', async () => {
    const api = realApi();
    const store = createAppStore(api);
    await boot(store);
    const ok = await store.getState().environments.save({ name: 'x', kind: 'gateway', gateway: { host: 'h', clientId: 'c' } });
    expect(ok).toBe(true);
    expect(await store.getState().environments.save({ name: 'x', kind: 'gateway', gateway: { host: 'h', clientId: 'c' } })).toBe(false);
    expect(store.getState().environments.error).toBe('an environment named "x" already exists');
    expect(store.getState().session.state).toBe('open');
    store.dispose();
  });
});
