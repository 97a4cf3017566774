// Which lane rows are drawn as one text node with their token shading painted under them (segments.ts
// isPlainRow / tokenShades, shade-canvas.ts): only rows of printable ASCII whose pieces differ by token alone.
// Anything else a row can carry (a hit, a mask, the hold-back, the inspector's selection, an invisible
// character, a gap) keeps its own elements. How the shading lands on the characters is checked in Chromium
// (tests/e2e/lanes.test.ts).
import { describe, expect, it } from 'vitest';
import type { FilterHit } from '../../../shared/events';
import { applyEvents, EMPTY_TURNS, type TurnData } from '../../../renderer/src/store/turn-model';
import { filteredPieces, isPlainRow, rawPieces, tokenShades } from '../../../renderer/src/views/session/segments';
import { filtered, start, textToken } from '../events';

const card: FilterHit = { type: 'CREDIT_CARD', action: 'mask', rawStart: 8, rawEnd: 12, outStart: 8, outEnd: 21 };

function turn(tokens: string[], opts: { hits?: boolean; holdback?: number } = {}): TurnData {
  const events = [start('t')];
  let pos = 0;
  tokens.forEach((text, i) => {
    events.push(...textToken('t', i, text, pos, 10 + i));
    pos += text.length;
  });
  const rawText = tokens.join('');
  const released = rawText.slice(0, rawText.length - (opts.holdback ?? 0));
  events.push(opts.hits ? filtered('t', 0, `${released.slice(0, 8)}[CREDIT_CARD]${released.slice(12)}`, [card], opts.holdback ?? 0) : filtered('t', 0, released, [], opts.holdback ?? 0));
  const r = applyEvents(EMPTY_TURNS, events);
  return r.turns.byId.t!;
}

describe('plain rows', () => {
  it('a row of ASCII tokens is plain; its shading has a shade per token and a tick per token start', () => {
    const t = turn(['Hello', ' there', ',', ' you']);
    const pieces = rawPieces(t, 0, t.raw.length, { boundaries: true, lineEnd: true });
    expect(isPlainRow(pieces, 'Hello there, you')).toBe(true);
    expect(tokenShades(pieces, 0)).toEqual([
      { from: 0, to: 5, parity: 0, tick: true },
      { from: 5, to: 11, parity: 1, tick: true },
      { from: 11, to: 12, parity: 0, tick: true },
      { from: 12, to: 16, parity: 1, tick: true },
    ]);
    // A row starting inside a token: no tick at its start, the token's shade goes on.
    const mid = rawPieces(t, 7, 16, { boundaries: true, lineEnd: true });
    expect(tokenShades(mid, 7)).toEqual([
      { from: 0, to: 4, parity: 1, tick: false },
      { from: 4, to: 5, parity: 0, tick: true },
      { from: 5, to: 9, parity: 1, tick: true },
    ]);
    // Without token boundaries there is nothing to paint.
    expect(tokenShades(rawPieces(t, 0, t.raw.length, { boundaries: false, lineEnd: true }), 0)).toBeUndefined();
  });

  it('hits, masks, the hold-back, the selection, invisible characters and non-ASCII text keep their elements', () => {
    const hit = turn(['Card: 4', '111 2', '222'], { hits: true });
    expect(isPlainRow(rawPieces(hit, 0, hit.raw.length, { boundaries: true, lineEnd: true }), 'Card: 4111 2222')).toBe(false);
    expect(isPlainRow(filteredPieces(hit, 0, hit.filtered.length, { boundaries: true, lineEnd: true }), hit.filtered.lines[0]!)).toBe(false);
    const held = turn(['abc', 'def'], { holdback: 2 });
    expect(isPlainRow(rawPieces(held, 0, 6, { boundaries: true, lineEnd: true }), 'abcdef')).toBe(false);
    const plain = turn(['abc', 'def']);
    expect(isPlainRow(rawPieces(plain, 0, 6, { boundaries: true, selection: { start: 1, end: 2 }, lineEnd: true }), 'abcdef')).toBe(false);
    const rlo = turn(['ab\u202e', 'cd']);
    expect(isPlainRow(rawPieces(rlo, 0, 5, { boundaries: true, lineEnd: true }), 'ab\u202ecd')).toBe(false);
    const wide = turn(['ab', '日本']);
    expect(isPlainRow(rawPieces(wide, 0, 4, { boundaries: true, lineEnd: true }), 'ab日本')).toBe(false);
    const tab = turn(['a\t', 'b']);
    expect(isPlainRow(rawPieces(tab, 0, 3, { boundaries: true, lineEnd: true }), 'a\tb')).toBe(false);
  });
});
