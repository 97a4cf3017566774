import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendText, emptyText, lineOf, sliceText, toString } from '../../../renderer/src/text/text-lines';

describe('text lines', () => {
  it('appends pieces that split lines anywhere, and slices exactly like a string', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '\n', 'é', '😀') }), { maxLength: 30 }), fc.nat(200), fc.nat(200), (pieces, x, y) => {
        const t = emptyText();
        for (const p of pieces) appendText(t, p);
        const whole = pieces.join('');
        expect(toString(t)).toBe(whole);
        expect(t.length).toBe(whole.length);
        expect(t.lines).toEqual(whole.split('\n'));
        const a = Math.min(x, y);
        const b = Math.max(x, y);
        expect(sliceText(t, a, b)).toBe(whole.slice(a, b));
        for (let i = 0; i < t.starts.length; i++) expect(lineOf(t, t.starts[i]!)).toBe(i);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
