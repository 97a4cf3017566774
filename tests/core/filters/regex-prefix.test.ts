import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prefixSource } from '../../../electron/core/filters/regex-prefix';

const viable = (pattern: string, flags = '') => new RegExp(`^(?:${prefixSource(pattern, flags.includes('u'))})$`, flags.replace('m', ''));

describe('regex prefix (could this text still become a match?)', () => {
  it('accepts every prefix of a match and rejects what cannot grow into one', () => {
    const re = viable('ORD-\\d{8}', 'i');
    for (const p of ['', 'O', 'or', 'ORD', 'ORD-', 'ORD-1234', 'ORD-12345678']) expect(re.test(p)).toBe(true);
    for (const p of ['X', 'ORX', 'ORD-12a', 'ORD-123456789']) expect(re.test(p)).toBe(false);
  });

  it('handles alternation, groups, classes, quantifiers and escapes', () => {
    const re = viable('(?:ab|cd)+[x-z]{2,3}\\.(?<n>\\d)?');
    for (const p of ['a', 'ab', 'abcd', 'abx', 'abxyz', 'abxy.', 'abxy.7']) expect(re.test(p)).toBe(true);
    for (const p of ['ac', 'abw', 'abxyzx']) expect(re.test(p)).toBe(false);
  });

  it('treats lookaheads as reading and back-references as anything', () => {
    expect(viable('\\d{3}(?=\\d{5})').test('12345')).toBe(true);
    expect(viable('(a)\\1b').test('azzz')).toBe(true);
    expect(viable('\\bID\\d+$').test('ID12')).toBe(true);
  });

  it('property: every prefix of a string the pattern matches is viable', () => {
    const patterns = ['ORD-\\d{8}', '[A-Z]{2}\\d{2}[A-Z0-9]{4,10}', '(?:foo|bar)-\\d+(?:\\.\\d+)?', 'x{2,4}y*z?', 'TICKET#\\d{3,6}'];
    for (const p of patterns) {
      const full = new RegExp(`^(?:${p})$`);
      const re = viable(p);
      fc.assert(
        fc.property(fc.stringMatching(full), (s) => {
          for (let k = 0; k <= s.length; k++) if (!re.test(s.slice(0, k))) return false;
          return true;
        }),
        { seed: 42, numRuns: 200 },
      );
    }
  });
});
