import { describe, expect, it } from 'vitest';
import { applyEvents, EMPTY_TURNS } from '../../../renderer/src/store/turn-model';
import { createLayoutCache, locateRow } from '../../../renderer/src/text/lane-layout';
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
