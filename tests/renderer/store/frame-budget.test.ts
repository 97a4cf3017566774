// A frame applies events for a bounded time, the rest in the next frames: in order, nothing lost, and the
// window ends in the state that applying everything at once gives. The clock is the test's: every reading
// advances it by 1 ms, so a frame with an 8 ms budget applies a fixed number of events, whatever the machine.
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { boot, createAppStore } from '../../../renderer/src/store/store';
import { applyEvents, EMPTY_TURNS, type TurnData } from '../../../renderer/src/store/turn-model';
import { createRealApi, type RealApi } from '../real-api';
import { end, filtered, start, textToken } from '../events';

const apis: RealApi[] = [];
afterEach(async () => {
  for (const a of apis.splice(0)) await a.close();
});

/** `batches` batches of `perBatch` tokens of a two-turn dialog (the first turn ends midway), as main sends them. */
function dialog(batches: number, perBatch: number): SessionEvent[][] {
  const out: SessionEvent[][] = [];
  let turn = 't1';
  let index = 0;
  let raw = 0;
  for (let b = 0; b < batches; b++) {
    const events: SessionEvent[] = b === 0 ? [start('t1')] : [];
    if (b === batches / 2) {
      events.push(end('t1', 'complete', raw, { tokenCount: index }), start('t2'));
      turn = 't2';
      index = 0;
      raw = 0;
    }
    const from = raw;
    for (let k = 0; k < perBatch; k++, index++) {
      const text = `${turn}:${index} `;
      events.push(...textToken(turn, index, text, raw, index));
      raw += text.length;
    }
    events.push(filtered(turn, from, 'x'.repeat(raw - from)));
    out.push(events);
  }
  out[out.length - 1]!.push(end(turn, 'complete', raw, { tokenCount: index }));
  return out;
}

/** What the views read of a turn (versions aside: a sliced window publishes more of them). */
const visible = (t: TurnData) => ({ ...t, version: 0, raw: t.raw.lines.join('\n'), filtered: t.filtered.lines.join('\n') });

async function setUp(budgetMs = 8) {
  const api = createRealApi();
  apis.push(api);
  const frames: Array<() => void> = [];
  let clock = 0;
  const store = createAppStore(api, { frame: (f) => frames.push(f), now: () => ++clock, budgetMs });
  await boot(store);
  return { api, frames, store };
}

describe("a frame's budget for applying events", () => {
  it('spreads a backlog over frames, in order, and converges to the state of applying it all at once', async () => {
    const { api, frames, store } = await setUp();
    const batches = dialog(30, 100);
    for (const b of batches) api.emit(b);
    const all = batches.flat();
    expect(frames).toHaveLength(1);

    // 8 ms at 1 ms per reading of the clock, read every 64 events: 8 readings after the first = 512 events.
    const perFrame = 8 * 64;
    let updates = 0;
    const off = store.subscribe(() => updates++);
    let frameCount = 0;
    for (; frames.length; frameCount++) {
      expect(frameCount).toBeLessThan(100);
      frames.shift()!();
      // At most one frame asked for at a time.
      expect(frames.length).toBeLessThanOrEqual(1);
      // What is shown is exactly the stream's first events, as many as the frames' budgets allowed.
      const prefix = applyEvents(EMPTY_TURNS, all.slice(0, (frameCount + 1) * perFrame)).turns;
      const s = store.getState().session;
      expect(s.turns.order).toEqual(prefix.order);
      for (const id of s.turns.order) expect(visible(s.turns.byId[id]!)).toEqual(visible(prefix.byId[id]!));
    }
    off();
    expect(updates).toBe(frameCount);
    expect(frameCount).toBe(Math.ceil(all.length / perFrame));

    const s = store.getState().session;
    const once = applyEvents(EMPTY_TURNS, all).turns;
    expect(s.turns.order).toEqual(['t1', 't2']);
    for (const id of s.turns.order) expect(visible(s.turns.byId[id]!)).toEqual(visible(once.byId[id]!));
    expect(s.turns.byId.t1!.status).toBe('complete');
    expect(s.turns.byId.t2!.status).toBe('complete');
    expect(s.batches).toBe(30);
    expect(s.lastBatch).toBe(29);
    expect(s.activeTurnId).toBeUndefined();
  });

  it('keeps the order when batches arrive while a backlog is being applied', async () => {
    const { api, frames, store } = await setUp();
    const batches = dialog(10, 200);
    for (const b of batches.slice(0, 5)) api.emit(b);
    frames.shift()!();
    expect(store.getState().session.lastBatch).toBe(0); // 512 events in: inside the second batch (402 + 401 events)
    expect(store.getState().session.activeTurnId).toBe('t1');
    for (const b of batches.slice(5)) api.emit(b);
    expect(frames).toHaveLength(1);
    while (frames.length) frames.shift()!();
    const s = store.getState().session;
    const once = applyEvents(EMPTY_TURNS, batches.flat()).turns;
    for (const id of ['t1', 't2']) expect(visible(s.turns.byId[id]!)).toEqual(visible(once.byId[id]!));
    expect(s.lastBatch).toBe(9);
  });

  it('applies what fits in one frame at once, and an explicit flush (a send) applies everything', async () => {
    const { api, frames, store } = await setUp();
    const batches = dialog(4, 20);
    for (const b of batches) api.emit(b);
    frames.shift()!();
    expect(frames).toHaveLength(0);
    expect(store.getState().session.lastBatch).toBe(3);

    const more = dialog(20, 100).map((b) => b.map((e) => ('turnId' in e ? { ...e, turnId: `n-${e.turnId}` } : e)) as SessionEvent[]);
    for (const b of more) api.emit(b);
    store.getState().session.flushBatches();
    expect(store.getState().session.lastBatch).toBe(23);
    expect(store.getState().session.turns.byId['n-t2']!.status).toBe('complete');
    // The frame that was asked for finds nothing left.
    frames.shift()!();
    expect(frames).toHaveLength(0);
  });
});
