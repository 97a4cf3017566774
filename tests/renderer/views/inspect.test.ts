import { describe, expect, it } from 'vitest';
import { applyEvents, EMPTY_TURNS } from '../../../renderer/src/store/turn-model';
import { inspectRange } from '../../../renderer/src/views/details/inspect';
import { filteredPieces, rawPieces } from '../../../renderer/src/views/session/segments';
import { filtered, start, textToken } from '../events';

describe('reassembly inspector', () => {
  it('maps a range to its tokens and marks a surrogate pair joined across tokens', () => {
    // "ok 😀!" where the emoji's high surrogate ends token 1 and the low one starts token 2.
    const r = applyEvents(EMPTY_TURNS, [
      start('t'),
      ...textToken('t', 0, 'ok ', 0, 10, { seq: 0 }),
      ...textToken('t', 1, '\uD83D', 3, 30, { seq: 1, raw: '' }),
      ...textToken('t', 2, '\uDE00!', 3, 55, { seq: 2, raw: '😀!' }),
    ]);
    const t = r.turns.byId.t!;
    const res = inspectRange(t, 3, 5);
    expect(res.text).toBe('😀');
    expect(res.tokens.map((x) => x.index)).toEqual([1, 2]);
    expect(res.tokens[0]!.notes.join(' ')).toMatch(/high surrogate/);
    expect(res.tokens[0]!.notes.join(' ')).toMatch(/no character of its own/);
    expect(res.tokens[1]!.notes.join(' ')).toMatch(/completes the character begun in token 1/);
    expect(res.tokens[1]).toMatchObject({ frame: 2, seq: 2, bytes: 4, at: 55, gap: 25, range: [3, 6] });
  });

  it('marks binary frames that split a UTF-8 character', () => {
    const euro = [0xe2, 0x82, 0xac];
    const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));
    const r = applyEvents(EMPTY_TURNS, [
      start('t'),
      { type: 'token', turnId: 't', at: 1, index: 0, bytes: b64([0x61, euro[0]!, euro[1]!]), origin: { frame: 0, kind: 'binary' } },
      { type: 'raw.text', turnId: 't', at: 1, start: 0, text: 'a', token: 0 },
      { type: 'token', turnId: 't', at: 2, index: 1, bytes: b64([euro[2]!]), origin: { frame: 1, kind: 'binary' } },
      { type: 'raw.text', turnId: 't', at: 2, start: 1, text: '€', token: 1 },
    ]);
    const res = inspectRange(r.turns.byId.t!, 1, 2);
    expect(res.tokens.map((x) => x.index)).toEqual([1]);
    expect(res.tokens[0]!.notes.join(' ')).toMatch(/starts with 1 continuation byte/);
    const whole = inspectRange(r.turns.byId.t!, 0, 2);
    expect(whole.tokens[0]!.notes.join(' ')).toMatch(/ends inside a character \(2 bytes/);
    expect(whole.tokens[0]!.hex).toBe('61 e2 82');
  });

  it('cuts rows into token, hit and hold-back pieces; the filtered lane marks masked spans', () => {
    const hit = { type: 'EMAIL_ADDRESS', action: 'mask' as const, rawStart: 3, rawEnd: 10, outStart: 3, outEnd: 18 };
    const r = applyEvents(EMPTY_TURNS, [start('t'), ...textToken('t', 0, 'hi ', 0, 1), ...textToken('t', 1, 'a@b.com', 3, 2), ...textToken('t', 2, ' 12', 10, 3), filtered('t', 0, 'hi [EMAIL_ADDRESS]', [hit], 3, ['PHONE_NUMBER'])]);
    const t = r.turns.byId.t!;
    const pieces = rawPieces(t, 0, t.raw.length, { boundaries: true });
    expect(pieces.map((p) => [p.start, p.end, p.hit?.type, p.held ?? false])).toEqual([
      [0, 3, undefined, false],
      [3, 10, 'EMAIL_ADDRESS', false],
      [10, 13, undefined, true],
    ]);
    const fp = filteredPieces(t, 0, t.filtered.length, { boundaries: true });
    expect(fp.find((p) => p.hit)).toMatchObject({ start: 3, end: 18, hitStart: true });
  });
});
