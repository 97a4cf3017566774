import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { applyEvents, EMPTY_TURNS } from '../../../renderer/src/store/turn-model';
import { createLayoutCache, locateRow, markKey, type LaneLayout } from '../../../renderer/src/text/lane-layout';
import { end, filtered, start, textToken } from '../events';

describe('lane layout', () => {
  it('gives both lanes one row grid: header, the larger row count per line, footers', () => {
    const raw = `short\n${'x'.repeat(25)}\nend`;
    const r = applyEvents(EMPTY_TURNS, [start('t'), ...textToken('t', 0, raw, 0, 1), filtered('t', 0, `short\n${'y'.repeat(5)}\n${'z'.repeat(31)}`), end('t', 'complete', raw.length)]);
    const turns = r.turns.order.map((id) => r.turns.byId[id]!);
    const layout = createLayoutCache().layout(turns, 10);
    // header + line0 (1) + line1 (3 raw rows) + line2 (4 filtered rows) + status footer
    expect(layout.total).toBe(1 + 1 + 3 + 4 + 1);
    expect(locateRow(layout, 0)).toEqual({ kind: 'header', turn: 0 });
    expect(locateRow(layout, 1)).toEqual({ kind: 'line', turn: 0, line: 0, sub: 0 });
    expect(locateRow(layout, 4)).toEqual({ kind: 'line', turn: 0, line: 1, sub: 2 });
    expect(locateRow(layout, 8)).toEqual({ kind: 'line', turn: 0, line: 2, sub: 3 });
    expect(locateRow(layout, 9)).toEqual({ kind: 'footer', turn: 0, index: 0 });
    expect(locateRow(layout, 10)).toBeUndefined();
  });

  it('puts a retried error before the text and the final error after it', () => {
    const err = (retry: boolean) => ({ type: 'error' as const, turnId: 't', at: 1, cause: 'rate_limited' as const, message: 'm', fallback: 'f', ...(retry ? { retry: { attempt: 1, of: 3, inMs: 1000 } } : {}) });
    const r = applyEvents(EMPTY_TURNS, [start('t'), err(true), ...textToken('t', 0, 'ab', 0, 1), err(false), end('t', 'failed', 2)]);
    const layout = createLayoutCache().layout([r.turns.byId.t!], 80);
    expect([0, 1, 2, 3, 4].map((i) => locateRow(layout, i)?.kind)).toEqual(['header', 'pre', 'line', 'footer', 'footer']);
  });
});

describe('lane layout across batches (kept between calls)', () => {
  /** Everything a layout says, compared between the cache that followed the stream and a fresh one. */
  const shape = (l: LaneLayout) => ({
    total: l.total,
    turns: l.turns.map((t) => ({ ...t, linePrefix: [...t.linePrefix], blockMarks: [...t.blockMarks.entries()].sort((a, b) => a[0] - b[0]) })),
  });
  const structured = (turnId: string, position: number, frame: number): SessionEvent =>
    ({ type: 'output.structured', turnId, at: 5, frame, kind: 'rich-content', path: 'data._cognigy._default', summary: 'quick replies', json: '{\n  "a": 1,\n  "b": [1, 2]\n}', bytes: 20, position });

  it('equals a fresh layout after every batch: growing lines, wrapping, a lagging filtered lane, marks, expansions, a second turn', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            text: fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', 'é', '\u202e'), maxLength: 30 }),
            release: fc.nat(40),
            mark: fc.boolean(),
            expand: fc.boolean(),
            turn: fc.constantFrom(0, 1),
          }),
          { maxLength: 25 },
        ),
        fc.constantFrom(8, 13, 80),
        (batches, cols) => {
          const cache = createLayoutCache();
          let state = applyEvents(EMPTY_TURNS, [start('t0'), start('t1')]).turns;
          const raw = ['', ''];
          const released = [0, 0];
          const outLength = [0, 0];
          const token = [0, 0];
          let expanded: ReadonlySet<string> = new Set();
          for (const b of batches) {
            const id = `t${b.turn}`;
            const events: SessionEvent[] = [];
            if (b.text) {
              events.push(...textToken(id, token[b.turn]!, b.text, raw[b.turn]!.length, 10));
              token[b.turn]! += 1;
              raw[b.turn] += b.text;
            }
            // The filtered lane releases up to `release` more raw characters: it lags the raw one, and its
            // text is longer ('b' becomes 'bbb', as a replacement can be), so its lines wrap into more rows.
            const to = Math.min(raw[b.turn]!.length, released[b.turn]! + b.release);
            if (to > released[b.turn]!) {
              const text = raw[b.turn]!.slice(released[b.turn], to).replace(/b/g, 'bbb');
              events.push(filtered(id, outLength[b.turn]!, text));
              outLength[b.turn]! += text.length;
              released[b.turn] = to;
            }
            // A mark at the end of the raw text so far, or (rarely, a restated text) beyond it.
            if (b.mark) events.push(structured(id, raw[b.turn]!.length + (b.release % 7 === 6 ? 3 : 0), token[b.turn]!));
            state = applyEvents(state, events).turns;
            const turns = state.order.map((k) => state.byId[k]!);
            if (b.expand) {
              const t = turns[b.turn]!;
              const i = t.marks.findIndex((m) => m.kind === 'structured');
              if (i >= 0) {
                const next = new Set(expanded);
                if (!next.delete(markKey(t.turnId, i))) next.add(markKey(t.turnId, i));
                expanded = next;
              }
            }
            expect(shape(cache.layout(turns, cols, expanded))).toEqual(shape(createLayoutCache().layout(turns, cols, expanded)));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
