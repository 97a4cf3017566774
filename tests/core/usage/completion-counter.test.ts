// The usage estimate counted as the answer grows must equal counting the whole answer at once, for both
// encodings and any chunking: the safe split points are proved against the real tokenizers (seeded, so a
// failure reproduces).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, ENCODINGS } from '../../../electron/core/usage/encoding';
import { createCompletionCounter, lastSafeSplit } from '../../../electron/core/usage/estimate';
import { splitAt } from '../filters/helpers';

const SEED = 1313;
// Pieces chosen around what the pre-tokenizers treat specially: contractions, case changes, digits runs,
// punctuation with newlines and '/', whitespace runs, CR/LF, marks and non-Latin letters, emoji.
const PIECES = [
  'a', 'Z', 'word', 'CamelCase', "it's", "'S", "'ll", ' ', '  ', '\t', '\n', '\r\n', '\n\n', ' \n ', '123', '4567', '.', ',', '!?', '/',
  '//', '*', '**', '`', '-', '_', 'é', 'e\u0301', 'ß', 'Ωμέγα', '日本語', 'Ёж', '😀', '👍🏽', '<|endoftext|>', '\u200b', '$1,234.56', 'x/y', '.\n/',
];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((xs) => xs.join(''));
const cutsArb = fc.array(fc.nat(), { maxLength: 40 });

/** The text cut at offsets taken modulo its length (so every cut falls inside it). */
const chunks = (text: string, cuts: number[]): string[] => splitAt(text, cuts.map((c) => c % (text.length + 1)));

describe.each(ENCODINGS)('completion counted as it grows (%s)', (encoding) => {
  const tokenizer = loadTokenizer(encoding);

  it('every safe split point splits the count exactly', () => {
    fc.assert(
      fc.property(textArb, (t) => {
        for (let cut = lastSafeSplit(t); cut > 0; cut = lastSafeSplit(t.slice(0, cut))) {
          expect(tokenizer.count(t.slice(0, cut)) + tokenizer.count(t.slice(cut))).toBe(tokenizer.count(t));
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('equals counting the whole text, for any chunking (tiny blocks, so it splits often)', () => {
    fc.assert(
      fc.property(textArb, cutsArb, fc.integer({ min: 1, max: 64 }), (t, cuts, block) => {
        const counter = createCompletionCounter(tokenizer, block);
        for (const c of chunks(t, cuts)) counter.add(c);
        expect(counter.count()).toBe(tokenizer.count(t));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('counts a long answer with the default block and a text with no split point at all', () => {
    const long = 'The answer, with a list:\n- snake_case item 42\n- https://example.org/a_b and `2*3`\n'.repeat(400);
    const counter = createCompletionCounter(tokenizer);
    for (let i = 0; i < long.length; i += 3) counter.add(long.slice(i, i + 3));
    expect(counter.count()).toBe(tokenizer.count(long));
    const noSplit = '日本語😀'.repeat(3000);
    const c2 = createCompletionCounter(tokenizer, 16);
    for (let i = 0; i < noSplit.length; i += 5) c2.add(noSplit.slice(i, i + 5));
    expect(c2.count()).toBe(tokenizer.count(noSplit));
  });
});

describe('lastSafeSplit', () => {
  it('cuts only before a space after an ASCII letter, or after a newline before an ASCII letter or digit', () => {
    expect(lastSafeSplit('one two')).toBe(3);
    expect(lastSafeSplit('line\nnext')).toBe(5);
    expect(lastSafeSplit('line\n42')).toBe(5);
    expect(lastSafeSplit('é x')).toBe(0);
    expect(lastSafeSplit('2 x')).toBe(0);
    expect(lastSafeSplit('.\n/x')).toBe(0);
    expect(lastSafeSplit('a  b', 1)).toBe(0);
  });
});
