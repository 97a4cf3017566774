// Detector.pendingRun lets the streaming filter append text to a waiting candidate without scanning it again
// (issue 13). That is exact only if the declaration is true: a detector that waits at i over a run of its
// units keeps waiting while more of them arrive, up to its bound. Proved here for every detector that
// declares one, on random texts (seeded fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy, createFilter, filterText } from '../../../electron/core/filters';
import { PENDING } from '../../../electron/core/filters/types';

const SEED = 20261201;
const declaring = compilePolicy().detectors.filter((d) => d.detector.pendingRun);

describe('pendingRun declarations hold (property)', () => {
  it('some built-in declares one (else the streaming shortcut is dead code)', () => {
    expect(declaring.map((d) => d.type)).toContain('EMAIL_ADDRESS');
  });

  for (const cd of declaring) {
    const run = cd.detector.pendingRun!;
    const runUnits = [...Array(128).keys()].filter((c) => run.units[c] === 1).map((c) => String.fromCharCode(c));
    const anyUnit = fc.constantFrom(...[...Array(128).keys()].map((c) => String.fromCharCode(c)), 'é', '😀', '@');
    const runText = (max: number) => fc.array(fc.constantFrom(...runUnits), { minLength: 1, maxLength: max }).map((xs) => xs.join(''));

    it(`${cd.type}: waiting at i over a run, more of the run keeps it waiting up to max`, () => {
      fc.assert(
        fc.property(fc.array(anyUnit, { maxLength: 6 }), fc.array(anyUnit, { minLength: 1, maxLength: run.max + 4 }), runText(run.max + 4), (before, text, more) => {
          const prefix = before.join('');
          const s = prefix + text.join('');
          const i = prefix.length;
          if (!cd.detector.startsAt(s.charCodeAt(i)) || cd.detect(s, i, false, () => '') !== PENDING) return true;
          const held = s.slice(i);
          if (![...held].every((ch) => run.units[ch.charCodeAt(0)] === 1)) return true;
          if (held.length + more.length <= run.max) expect(cd.detect(s + more, i, false, () => '')).toBe(PENDING);
          return true;
        }),
        { seed: SEED, numRuns: 2000 },
      );
    });

    it(`${cd.type}: a run right at the bound still waits, one more unit decides`, () => {
      const word = 'a'.repeat(run.max);
      expect(cd.detect(` ${word}`, 1, false, () => '')).toBe(PENDING);
      expect(cd.detect(` ${word}a`, 1, false, () => '')).not.toBe(PENDING);
    });
  }

  it('an address waiting in its domain is not taken for a growing word: released as soon as it is decided', () => {
    const f = createFilter(compilePolicy());
    expect(f.feed('mail E@s').pending).toEqual(['EMAIL_ADDRESS']);
    // '%' ends the domain: "E@s" is no address, and only "s%" could still start one (as its local part).
    expect(f.feed('%')).toMatchObject({ text: 'E@', holdback: 2, pending: ['EMAIL_ADDRESS'] });
  });

  it('a word streamed one letter at a time past the e-mail bound is released exactly as whole', () => {
    const cp = compilePolicy();
    for (const n of [63, 64, 65, 66, 130]) {
      const text = `see ${'x'.repeat(n)}@example.com and ${'y'.repeat(n)} done`;
      const f = createFilter(cp, { hashSalt: 's' });
      let out = '';
      for (const ch of text) out += f.feed(ch).text;
      out += f.end().text;
      expect(out, `run of ${n}`).toBe(filterText(cp, text, { hashSalt: 's' }).output);
    }
  });
});
