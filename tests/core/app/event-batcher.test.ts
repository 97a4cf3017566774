import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { BATCH_INTERVAL_MS, createEventBatcher } from '../../../electron/core/app/event-batcher';

const tok = (i: number): SessionEvent => ({ type: 'token', turnId: 't', at: i, index: i, text: `x${i}`, origin: { frame: i, kind: 'text' } });
const end = (at: number): SessionEvent => ({ type: 'turn.end', turnId: 't', at, status: 'complete', rawLength: 0, durationMs: at, tokenCount: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('event batcher', () => {
  it('keeps order, drops nothing and sends at most one batch per interval under load', async () => {
    const batches: Array<{ at: number; events: SessionEvent[]; n: number }> = [];
    // The batcher's own clock reading at send time (a GC pause between its reading and ours must not make
    // the spacing look shorter than it was).
    let clock = 0;
    const now = () => (clock = performance.now());
    const b = createEventBatcher({ now, send: (events, n) => batches.push({ at: clock, events, n }) });
    const t0 = performance.now();
    // ~3,000 events over ~300 ms: 10 per millisecond-ish burst, far more than 60 batches/s could carry singly.
    let i = 0;
    while (performance.now() - t0 < 300) {
      for (let k = 0; k < 10; k++) b.push(tok(i++));
      await sleep(1);
    }
    b.push(end(1));
    const elapsed = performance.now() - t0;
    const flat = batches.flatMap((x) => x.events);
    expect(flat).toHaveLength(i + 1);
    flat.slice(0, i).forEach((e, k) => expect((e as { index: number }).index).toBe(k));
    expect(flat[flat.length - 1]!.type).toBe('turn.end');
    expect(batches.map((x) => x.n)).toEqual(batches.map((_, k) => k));
    // ≤ 60 per second (+2 for the first and the turn-end flush), tolerant of a slow machine only downwards.
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed / BATCH_INTERVAL_MS) + 2);
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

  it('sends a lone event on the next tick, not a whole interval later', async () => {
    const sent: SessionEvent[][] = [];
    const b = createEventBatcher({ send: (events) => sent.push(events), intervalMs: 5_000 });
    b.push(tok(0));
    await sleep(5);
    expect(sent).toHaveLength(1);
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
