import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { BATCH_INTERVAL_MS, createEventBatcher } from '../../../electron/core/app/event-batcher';

const tok = (i: number): SessionEvent => ({ type: 'token', turnId: 't', at: i, index: i, text: `x${i}`, origin: { frame: i, kind: 'text' } });
const end = (at: number): SessionEvent => ({ type: 'turn.end', turnId: 't', at, status: 'complete', rawLength: 0, durationMs: at, tokenCount: 0 });
// A virtual clock: the batcher's timers and its `now` both run on it, so spacing is exact and no test waits.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});
const now = () => Date.now();

describe('event batcher', () => {
  it('keeps order, drops nothing and sends at most one batch per interval under load', () => {
    const batches: Array<{ at: number; events: SessionEvent[]; n: number }> = [];
    const b = createEventBatcher({ now, send: (events, n) => batches.push({ at: now(), events, n }) });
    const t0 = now();
    // 3,000 events over 300 ms: 10 per millisecond, far more than 60 batches/s could carry singly.
    let i = 0;
    while (now() - t0 < 300) {
      for (let k = 0; k < 10; k++) b.push(tok(i++));
      vi.advanceTimersByTime(1);
    }
    b.push(end(1));
    const elapsed = now() - t0;
    const flat = batches.flatMap((x) => x.events);
    expect(flat).toHaveLength(i + 1);
    flat.slice(0, i).forEach((e, k) => expect((e as { index: number }).index).toBe(k));
    expect(flat[flat.length - 1]!.type).toBe('turn.end');
    expect(batches.map((x) => x.n)).toEqual(batches.map((_, k) => k));
    // ≤ 60 per second (+2 for the first and the turn-end flush), and not far fewer: batching, not hoarding.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / BATCH_INTERVAL_MS) + 2);
    expect(batches.length).toBeGreaterThanOrEqual(Math.floor(elapsed / Math.ceil(BATCH_INTERVAL_MS)));
    // Consecutive timer batches are at least one interval apart.
    for (let k = 1; k < batches.length - 1; k++) expect(batches[k]!.at - batches[k - 1]!.at).toBeGreaterThanOrEqual(BATCH_INTERVAL_MS);
  });

  it('flushes at once when a turn ends, without waiting for the interval', () => {
    const sent: SessionEvent[][] = [];
    const b = createEventBatcher({ send: (events) => sent.push(events), intervalMs: 10_000 });
    b.push(tok(0));
    b.push(tok(1));
    expect(sent).toHaveLength(0);
    b.push(end(5));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.map((e) => e.type)).toEqual(['token', 'token', 'turn.end']);
  });

  it('sends a lone event on the next tick, not a whole interval later', () => {
    const sent: SessionEvent[][] = [];
    const b = createEventBatcher({ now, send: (events) => sent.push(events), intervalMs: 5_000 });
    b.push(tok(0));
    b.push(tok(1)); // same tick: joins it
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(2);
    b.close();
  });

  it('close() flushes what is buffered and ignores later events', () => {
    const sent: SessionEvent[][] = [];
    const b = createEventBatcher({ send: (events) => sent.push(events), intervalMs: 10_000 });
    b.push(tok(0));
    b.push(tok(1));
    b.close();
    b.push(tok(2));
    expect(sent.flat()).toHaveLength(2);
    expect(b.sent).toBe(1);
  });
});
