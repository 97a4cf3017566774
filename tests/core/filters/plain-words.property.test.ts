// The scan passes over plain words of prose without asking the word detectors when their plain-word prefix
// table says none of them can start there (Detector.plainWordPrefixes, issue 13). Proved two ways (seeded
// fast-check): the profanity detector answers NONE wherever its table says 0, for every language, with
// words grown from the entries themselves; and a scan with the tables equals a scan without them.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy, filterText, type CompiledPolicy } from '../../../electron/core/filters';
import { plainPrefixIndex, PLAIN_OTHER, PLAIN_SYMBOL } from '../../../electron/core/filters/chars';
import { createEmailDetector } from '../../../electron/core/filters/detectors/email';
import { createIpv4Detector, createIpv6Detector } from '../../../electron/core/filters/detectors/ip-address';
import { createProfanityDetector, profanityLanguages } from '../../../electron/core/filters/detectors/profanity';
import { NONE } from '../../../electron/core/filters/types';
import { defaultPolicy, loadCorpus, SALT } from './helpers';

const SEED = 20261201;
const naughty = createRequire(import.meta.url)('naughty-words') as Record<string, string[]>;
const languages = profanityLanguages();
const entriesOf = (langs: readonly string[]) => langs.flatMap((l) => naughty[l] ?? []).map((w) => w.trim()).filter(Boolean);
const entries = entriesOf(languages);
/** Terminators of a plain word (not a letter, digit, '_', '@', '.', '%', '+', '-' or ':'). */
const TERMINATORS = [' ', ',', ';', '!', '?', ')', '(', '\n', '"', "'", '*', '/', '#', '&', '<', '\t'];

function indexOf(word: string): number {
  const sym = (k: number) => (k < word.length ? PLAIN_SYMBOL[word.charCodeAt(k)]! : PLAIN_OTHER);
  return plainPrefixIndex(sym(0), sym(1), sym(2));
}

/** A word of ASCII letters (and '_') starting with a letter: an entry's start, its case shuffled, perhaps grown. */
const plainWord = fc
  .tuple(fc.constantFrom(...entries), fc.integer({ min: 1, max: 6 }), fc.stringMatching(/^[A-Za-z_]{0,6}$/), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }))
  .map(([entry, keep, grow, upper]) => {
    const start = /^[A-Za-z_]*/.exec(entry)![0].slice(0, keep);
    return [...(start + grow)].map((ch, k) => (upper[k % 12] ? ch.toUpperCase() : ch.toLowerCase())).join('');
  })
  .filter((w) => /^[A-Za-z][A-Za-z_]*$/.test(w));
/** What may follow the terminator: the rest of an entry (multi-word entries), or anything. */
const tail = fc.oneof(fc.constantFrom(...entries), fc.string({ maxLength: 12 }));

describe('plain-word prefix tables are exact (property)', () => {
  for (const langs of [['en'], languages]) {
    const det = createProfanityDetector(langs);
    const table = det.plainWordPrefixes!;

    it(`PROFANITY (${langs.length === 1 ? 'en' : 'every language'}) says NONE wherever its table says 0`, () => {
      // The table must rule most starts out, or it saves nothing (and the property below says little).
      expect(table.filter((v) => v === 0).length / table.length).toBeGreaterThan(0.5);
      let ruledOut = 0;
      fc.assert(
        fc.property(plainWord, fc.constantFrom(...TERMINATORS), tail, fc.constantFrom('', ' ', '(', '\n', '*'), (w, t, rest, before) => {
          if (table[indexOf(w)] !== 0) return true;
          ruledOut++;
          const s = `${before}${w}${t}${rest}`;
          for (const atEnd of [false, true]) expect(det.detect(s, before.length, atEnd, () => '')).toBe(NONE);
          return true;
        }),
        { seed: SEED, numRuns: 3000 },
      );
      expect(ruledOut).toBeGreaterThan(300);
    });

    it(`PROFANITY (${langs.length === 1 ? 'en' : 'every language'}): every entry that starts as a plain word is allowed by its start`, () => {
      let checked = 0;
      for (const e of entriesOf(langs)) {
        // An entry that reads as a plain word there: letters, then its end or plain punctuation.
        const w = /^[A-Za-z][A-Za-z_]*(?=$|[\x00-\x7f])(?![A-Za-z0-9_@.%+\-:])/.exec(e)?.[0];
        if (!w) continue;
        checked++;
        expect(table[indexOf(w)]).toBe(1);
        expect(table[indexOf(w.toUpperCase())]).toBe(1);
      }
      expect(checked).toBeGreaterThan(300);
    });
  }
});

describe('a scan with the plain-word tables equals one without them (property)', () => {
  const without = (cp: CompiledPolicy): CompiledPolicy => ({ ...cp, plainWordPrefixes: null });
  const words = ['the', 'a', 'I', 'an', 'ass', 'Ass', 'class', 'fuck', 'FUCK', 'blue', 'waffle', 'shit', 'hell', 'data', 'x', 'Scunthorpe', 'two girls', 'one cup', '_x', 'ab_c'];
  const seps = [' ', ', ', '. ', '.\n\n- ', '(', ')', '!', ' @', '-', ':', '1', '4111 1111 1111 1111', 'jane@example.com', '😀', 'é'];
  const prose = fc.array(fc.oneof(fc.constantFrom(...words), fc.constantFrom(...entries.slice(0, 200)), fc.constantFrom(...seps)), { maxLength: 60 }).map((xs) => xs.join(' '));
  const policies: CompiledPolicy[] = [defaultPolicy(), compilePolicy({ version: 1, profanity: { languages } }), compilePolicy({ version: 1, actions: { PROFANITY: 'hash' } })];

  it('random prose, every policy', () => {
    for (const cp of policies) expect(cp.plainWordPrefixes).not.toBeNull();
    fc.assert(
      fc.property(prose, fc.constantFrom(...policies), (text, cp) => {
        expect(filterText(cp, text, { hashSalt: SALT })).toEqual(filterText(without(cp), text, { hashSalt: SALT }));
        return true;
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('the tricky corpus', () => {
    for (const line of loadCorpus()) {
      const text = line.chunks.join('');
      for (const cp of policies) expect(filterText(cp, text, { hashSalt: SALT })).toEqual(filterText(without(cp), text, { hashSalt: SALT }));
    }
  });

  it('a policy with detectors of its own has no table (they may start inside a word)', () => {
    expect(compilePolicy({ version: 1, custom: [{ name: 'TAG', pattern: 'x\\d+', maxLength: 8 }] }).plainWordPrefixes).toBeNull();
  });
});

describe('the scan shortcut for plain runs is exact (property)', () => {
  // Detectors declaring plainRunNone must answer NONE at a run of letters, digits and '_' followed by
  // plain punctuation: numbers of prose are then asked only of the detectors of numbers.
  const run = fc.stringMatching(/^[A-Za-z0-9_]{1,16}$/);
  for (const det of [createEmailDetector(), createIpv4Detector(), createIpv6Detector()]) {
    it(`${det.type} (${det.startsAt(97) ? 'words and numbers' : 'numbers'}) says NONE`, () => {
      expect(det.plainRunNone).toBe(true);
      expect(det.plainWordNone || !det.startsAt(97)).toBe(true);
      fc.assert(
        fc.property(run, fc.constantFrom(...TERMINATORS), fc.oneof(fc.constantFrom('168.1.1', '1.2.3', ':db8::1', '@example.com', '.com'), fc.string({ maxLength: 12 })), fc.constantFrom('', ' ', '(', '\n'), (r, t, rest, before) => {
          const s = `${before}${r}${t}${rest}`;
          for (const atEnd of [false, true]) expect(det.detect(s, before.length, atEnd, () => '')).toBe(NONE);
          return true;
        }),
        { seed: SEED, numRuns: 1000 },
      );
    });
  }

  it('a scan without the plain-run shortcut finds the same (numbers of prose, addresses, cards)', () => {
    const without = (cp: CompiledPolicy): CompiledPolicy => ({ ...cp, plainRunTable: cp.startTable, plainWordPrefixes: null });
    const pieces = ['2019', '94103', ' ', ', ', '. ', '192.168.10.24', '4111 1111 1111 1111', 'call me at', '+1 415 555 2671', '123-45-6789', 'a1b2', 'v2', '2001:db8::1', 'x@y.com', '0490 75 40 81', '(', ')', '!', '\n'];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((xs) => xs.join(''));
    const cp = defaultPolicy();
    fc.assert(
      fc.property(text, (t) => {
        expect(filterText(cp, t, { hashSalt: SALT })).toEqual(filterText(without(cp), t, { hashSalt: SALT }));
        return true;
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
