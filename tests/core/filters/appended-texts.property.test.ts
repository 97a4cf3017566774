// The streaming filter's appended texts (issue 13): whatever the texts — Latin-1, wider units, lone or split
// surrogate halves — and however many there are per scan (concatenated up to CONCAT_MAX, copied through
// the byte buffer beyond), the scan reads exactly the head followed by every text, in order. Seeded.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppendedTexts, CONCAT_MAX } from '../../../electron/core/filters/appended-texts';

const SEED = 20261201;
const unitText = fc.string({ unit: 'binary', maxLength: 12 });
const latin1Text = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const texts = fc.array(fc.oneof(latin1Text, unitText), { maxLength: 3 * CONCAT_MAX });

describe('appended texts', () => {
  it('take(head) is head + every text added, for any units and any count (property)', () => {
    const a = new AppendedTexts();
    fc.assert(
      fc.property(fc.oneof(latin1Text, unitText), fc.array(texts, { minLength: 1, maxLength: 4 }), (head, rounds) => {
        for (const round of rounds) {
          for (const t of round) a.add(t);
          expect(a.count).toBe(round.length);
          expect(a.units).toBe(round.join('').length);
          const s = a.take(head);
          expect(s).toBe(head + round.join(''));
          expect(a.count).toBe(0);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a window larger than the kept buffer, then small ones again', () => {
    const a = new AppendedTexts();
    const big = Array.from({ length: 4000 }, (_, k) => (k % 97 === 0 ? '\ud83d\ude00' : `w${k} `));
    for (const t of big) a.add(t);
    expect(a.take('>')).toBe('>' + big.join(''));
    for (const t of ['a', 'é', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) a.add(t);
    expect(a.take('')).toBe('aébcdefghi');
  });

  it('allIn looks at every unit of every text', () => {
    const a = new AppendedTexts();
    const digits = new Uint8Array(128);
    for (let c = 48; c <= 57; c++) digits[c] = 1;
    a.add('12');
    a.add('345');
    expect(a.allIn(digits)).toBe(true);
    a.add('6x');
    expect(a.allIn(digits)).toBe(false);
    a.clear();
    a.add('é');
    expect(a.allIn(digits)).toBe(false);
  });
});
