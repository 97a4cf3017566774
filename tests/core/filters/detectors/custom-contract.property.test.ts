// The detector contract (filters/types.ts) for the policy's own patterns: an answer other than PENDING is
// final — no longer text, whatever it adds (halves of surrogate pairs included), and not the end of the
// text, changes it — and PENDING comes only within maxLookahead. The streaming filter's minimal hold-back
// rests on it (tick-grouping.property.test.ts). Seeded fast-check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { CustomDetector } from '../../../../shared/policy';
import { createCustomDetector } from '../../../../electron/core/filters/detectors/custom';
import { NONE, PENDING } from '../../../../electron/core/filters/types';

const SEED = 20261201;
const DEFS: CustomDetector[] = [
  { name: 'ORDER_ID', pattern: 'ORD-\\d{8}', maxLength: 12 },
  { name: 'TAGGED', pattern: '(?<=#)\\w+\\b', maxLength: 10 },
  { name: 'PROJECT', pattern: '\\b[a-z]+\\b', validator: { dictionary: ['apollo', 'gemini'] }, maxLength: 10 },
  { name: 'SMILE', pattern: 'x😀+', maxLength: 7 },
  { name: 'CODE', pattern: 'C-\\d+', flags: 'i', maxLength: 6 },
];
const FRAGMENTS = ['broken ', 'ORD-', '1234', '5678', '#', 'apollo', 'gem', 'ini', ' ', '!', 'x', '😀', '\ud83d', '\ude00', 'é', 'c-', '9', 'word', '\n'];
const textArb = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }).map((xs) => xs.join(''));
const anyText = fc.string({ unit: 'binary', minLength: 1, maxLength: 16 });
const noBefore = (): string => '';

describe('custom detectors keep the detector contract', () => {
  for (const def of DEFS) {
    const d = createCustomDetector(def);
    it(`${def.name}: a final answer stays final for any longer text (property)`, () => {
      fc.assert(
        fc.property(fc.oneof(textArb, anyText), fc.oneof(textArb, anyText), fc.nat(), (s, more, at) => {
          const i = at % s.length;
          if (!d.startsAt(s.charCodeAt(i))) return true;
          const a = d.detect(s, i, false, noBefore);
          if (a === PENDING) {
            expect(s.length - i).toBeLessThanOrEqual(d.maxLookahead);
            return true;
          }
          expect(d.detect(s, i, true, noBefore)).toBe(a);
          expect(d.detect(s + more, i, false, noBefore)).toBe(a);
          expect(d.detect(s + more, i, true, noBefore)).toBe(a);
          return true;
        }),
        { seed: SEED, numRuns: 1500 },
      );
    });
  }

  it('half a surrogate pair after text no match can read does not hold that text back', () => {
    const tagged = createCustomDetector(DEFS[1]!);
    const order = createCustomDetector(DEFS[0]!);
    expect(tagged.detect('broken ', 0, false, noBefore)).toBe(NONE);
    expect(tagged.detect('broken \ud83d', 0, false, noBefore)).toBe(NONE);
    expect(tagged.detect('#broken \ud83d', 1, false, noBefore)).toBe('broken'.length);
    expect(order.detect('ORD-1 \ud83d', 0, false, noBefore)).toBe(NONE);
    // Text a match could still read waits, with or without the half pair after it.
    expect(order.detect('ORD-1', 0, false, noBefore)).toBe(PENDING);
    expect(createCustomDetector(DEFS[3]!).detect('x😀\ud83d', 0, false, noBefore)).toBe(PENDING);
  });
});
