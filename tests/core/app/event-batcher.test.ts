import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FilterHit, SessionEvent } from '../../../shared/events';
import { BATCH_INTERVAL_MS, createEventBatcher } from '../../../electron/core/app/event-batcher';
import { applyEvents, EMPTY_TURNS } from '../../../renderer/src/store/turn-model';
import { toString } from '../../../renderer/src/text/text-lines';

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

describe('event batcher, coalescing filtered releases (the session window)', () => {
  const raw = (i: number, start: number, text: string): SessionEvent => ({ type: 'raw.text', turnId: 't', at: i, start, text, token: i });
  const released = (at: number, start: number, text: string, hits: FilterHit[] = [], holdback = 0): SessionEvent => ({
    type: 'filtered.text',
    turnId: 't',
    at,
    start,
    text,
    hits,
    holdback,
    holdbackReason: holdback ? ['EMAIL'] : [],
  });
  const startEv: SessionEvent = { type: 'turn.start', turnId: 't', at: 0, sessionId: 's', requestId: 'r', upstream: 'gateway', environment: 'demo', input: 'x', startedAt: '2026-01-01T00:00:00.000Z' };

  /** A turn's events as the engine emits them: per token a token, its raw text and (maybe) a release; one restated release; hits. */
  function turnEvents(pieces: string[]): SessionEvent[] {
    const out: SessionEvent[] = [startEv];
    let r = 0;
    let f = 0;
    pieces.forEach((p, i) => {
      out.push({ type: 'token', turnId: 't', at: i, index: i, text: p, origin: { frame: i, kind: 'text' } }, raw(i, r, p));
      r += p.length;
      // Every third token holds its text back until the next one; some releases carry a hit.
      if (i % 3 === 1 && i < pieces.length - 1) return;
      const text = out.filter((e): e is Extract<SessionEvent, { type: 'raw.text' }> => e.type === 'raw.text').map((e) => e.text).join('').slice(f);
      const hits: FilterHit[] = i % 5 === 0 && text ? [{ type: 'EMAIL', action: 'mask', rawStart: f, rawEnd: f + 1, outStart: f, outEnd: f + 1 }] : [];
      out.push(released(i, f, text, hits, i % 2));
      f += text.length;
    });
    out.push({ type: 'turn.end', turnId: 't', at: 999, status: 'complete', rawLength: r, durationMs: 999, tokenCount: pieces.length });
    return out;
  }

  it('keeps every character, hit, token and raw boundary: the window ends in the same state, with far fewer events', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 200 })), (pieces, cutsAt) => {
        const events = turnEvents(pieces);
        const cuts = new Set(cutsAt);
        const run = (coalesceFiltered: boolean) => {
          const batches: SessionEvent[][] = [];
          const b = createEventBatcher({ send: (evs) => batches.push(evs), intervalMs: 10_000, coalesceFiltered });
          events.forEach((e, i) => {
            b.push(e);
            if (cuts.has(i)) b.flush();
          });
          b.close();
          return batches;
        };
        const plain = run(false);
        const merged = run(true);
        // The window's state after applying the batches, one by one as it does.
        const state = (batches: SessionEvent[][]) => batches.reduce((s, evs) => applyEvents(s, evs).turns, EMPTY_TURNS).byId.t!;
        const a = state(plain);
        const m = state(merged);
        expect(toString(m.filtered)).toBe(toString(a.filtered));
        expect(toString(m.raw)).toBe(toString(a.raw));
        expect(m.hits).toEqual(a.hits);
        expect([m.spanStart, m.spanToken, m.tokens]).toEqual([a.spanStart, a.spanToken, a.tokens]);
        expect([m.holdback, m.holdbackReason, m.status, m.end]).toEqual([a.holdback, a.holdbackReason, a.status, a.end]);
        // Same batches (only their filtered releases merged), and every other event as it was, in order.
        expect(merged).toHaveLength(plain.length);
        merged.forEach((evs, k) => {
          expect(evs.filter((e) => e.type !== 'filtered.text')).toEqual(plain[k]!.filter((e) => e.type !== 'filtered.text'));
          expect(evs.filter((e) => e.type === 'filtered.text').length).toBeLessThanOrEqual(1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never changes the events it was given (they are shared with the recorder and the other listeners)', () => {
    const events = turnEvents(['ab', 'cd', 'ef', 'gh']);
    const copy = structuredClone(events);
    const b = createEventBatcher({ send: () => {}, intervalMs: 10_000, coalesceFiltered: true });
    for (const e of events) b.push(e);
    b.close();
    expect(events).toEqual(copy);
  });

  it('a restated release (not right after the previous one) is kept apart, and the hold-back is the last one', () => {
    const sent: SessionEvent[][] = [];
    const b = createEventBatcher({ send: (evs) => sent.push(evs), intervalMs: 10_000, coalesceFiltered: true });
    b.push(released(1, 0, 'abc'));
    b.push(released(2, 3, 'de', [], 4));
    b.push(released(3, 2, 'XY', [], 0));
    b.flush();
    expect(sent[0]).toEqual([
      { ...released(2, 0, 'abcde', [], 4) },
      released(3, 2, 'XY', [], 0),
    ]);
  });
});
