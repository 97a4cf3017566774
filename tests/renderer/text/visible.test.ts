import { describe, expect, it } from 'vitest';
import { base64Length, rowBreaks, toVisible, utf8Length, visibleString } from '../../../renderer/src/text/visible';

describe('visible text', () => {
  it('shows bidi overrides, zero-width characters and controls as markers', () => {
    expect(visibleString('a\u202Eb\u200Bc\u0007d\uFEFF')).toBe('a⟨U+202E⟩b⟨U+200B⟩c⟨U+0007⟩d⟨U+FEFF⟩');
    expect(visibleString('\u2066x\u2069')).toBe('⟨U+2066⟩x⟨U+2069⟩');
    expect(visibleString('tab\there')).toBe('tab⇥here');
  });

  it('keeps the joiner inside an emoji sequence, marks it elsewhere', () => {
    expect(visibleString('👩\u200D💻')).toBe('👩\u200D💻');
    expect(visibleString('a\u200Db')).toBe('a⟨U+200D⟩b');
  });

  it('keeps surrogate pairs, marks lone surrogates', () => {
    expect(visibleString('😀')).toBe('😀');
    expect(visibleString('a\uD83D')).toBe('a⟨D83D?⟩');
    expect(visibleString('\uDE00b')).toBe('⟨DE00?⟩b');
    const pieces = toVisible('x\uD83Dy', 10);
    expect(pieces).toEqual([
      { kind: 'text', text: 'x', start: 10, end: 11 },
      expect.objectContaining({ kind: 'marker', start: 11, end: 12 }),
      { kind: 'text', text: 'y', start: 12, end: 13 },
    ]);
  });

  it('leaves markup as plain characters (it is rendered as text, never parsed)', () => {
    expect(toVisible('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>', start: 0, end: 28 }]);
  });

  it('breaks rows by display columns, counting markers and wide characters, never inside a pair', () => {
    expect(rowBreaks('a'.repeat(25), 10)).toEqual([0, 10, 20]);
    expect(rowBreaks('', 10)).toEqual([0]);
    const b = rowBreaks('😀'.repeat(8), 10);
    expect(b.every((x) => x % 2 === 0)).toBe(true);
    expect(b.length).toBeGreaterThan(1);
    expect(rowBreaks('\u202E'.repeat(3), 10)).toEqual([0, 1, 2]);
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
    expect(utf8Length('\uD83D')).toBe(3);
    expect(base64Length(btoa('abcd'))).toBe(4);
  });
});
