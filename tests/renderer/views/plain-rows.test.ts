// Which lane rows are drawn as one text node with their token shading as a background (segments.ts
// isPlainRow / tokenBackground): only rows of printable ASCII whose pieces differ by token alone. Anything
// else a row can carry (a hit, a mask, the hold-back, the inspector's selection, an invisible character, a
// gap) keeps its own elements. How the background lands on the characters is checked in Chromium
// (tests/e2e/lanes.test.ts).
import { describe, expect, it } from 'vitest';
import type { FilterHit } from '../../../shared/events';
import { applyEvents, EMPTY_TURNS, type TurnData } from '../../../renderer/src/store/turn-model';
import { filteredPieces, isPlainRow, rawPieces, tokenBackground } from '../../../renderer/src/views/session/segments';
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
  it('a row of ASCII tokens is plain; its background has a shade per token and a tick per token start', () => {
    const t = turn(['Hello', ' there', ',', ' you']);
    const pieces = rawPieces(t, 0, t.raw.length, { boundaries: true, lineEnd: true });
    expect(isPlainRow(pieces, 'Hello there, you')).toBe(true);
    expect(tokenBackground(pieces, 0)).toBe(
      'linear-gradient(90deg, var(--tok-tick) 0ch calc(0ch + 1px), var(--tok-a) 0 5ch, var(--tok-tick) 5ch calc(5ch + 1px), var(--tok-b) 0 11ch, var(--tok-tick) 11ch calc(11ch + 1px), var(--tok-a) 0 12ch, var(--tok-tick) 12ch calc(12ch + 1px), var(--tok-b) 0 16ch)',
    );
    // A row starting inside a token: no tick at its start, the token's shade goes on.
    const mid = rawPieces(t, 7, 16, { boundaries: true, lineEnd: true });
    expect(tokenBackground(mid, 7)).toBe('linear-gradient(90deg, var(--tok-b) 0ch 4ch, var(--tok-tick) 4ch calc(4ch + 1px), var(--tok-a) 0 5ch, var(--tok-tick) 5ch calc(5ch + 1px), var(--tok-b) 0 9ch)');
    // Without token boundaries there is no background to draw.
    expect(tokenBackground(rawPieces(t, 0, t.raw.length, { boundaries: false, lineEnd: true }), 0)).toBeUndefined();
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
