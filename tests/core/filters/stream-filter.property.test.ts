// The guarantee, proved over random chunkings (seeded fast-check, so a failure reproduces): for any
// chunking of a text, the released text and the hits equal filtering the whole text at once.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy, createFilter, filterText, type CompiledPolicy } from '../../../electron/core/filters';
import { createEmailDetector } from '../../../electron/core/filters/detectors/email';
import { createIbanDetector } from '../../../electron/core/filters/detectors/iban';
import { createIpv6Detector } from '../../../electron/core/filters/detectors/ip-address';
import { NONE } from '../../../electron/core/filters/types';
import { defaultPolicy, loadCorpus, SALT, splitAt, stream } from './helpers';

const SEED = 20240611;

/** Pieces that make nasty texts when glued at random: parts of values, look-alikes, separators, halves of surrogate pairs. */
const FRAGMENTS = [
  '4111', ' ', '1111', '-', '5500', '0000', '0004', '3782 822463 10005', '.', '@', 'a', 'b.c', 'com', 'jane', 'example',
  '\n', '!', '?', ',', '3.14', '+41', ' (0)', '44 668 18 00', '+1 415 555 2671', '(212) 555-0187', 'call me at ', ' office',
  'Phone: ', 'fuck', 'shit', 'Scunthorpe', 'blue', ' waffle', 'GB82', 'WEST', '12345698765432', 'DE89 3704 0044 0532 0130 00',
  '536-22-1234', '666-12-3456', 'SSN ', '192.168.', '1.1', 'fe80::', '1ff:fe23:4567:890a', '::1', ':', '2001:db8::8a2e:370:7334',
  '\ud83d', '\ude00', '😀', 'é', 'ü', '**', '_', '`', 'x', '2024-01-15', '12:20:39', 'v1.2.3', 'order ', '1234567890123',
  'ORD-', '12345678', '#', 'TEST-', '\t', '  ',
];

const textArb = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((xs) => xs.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 120 });
const cutsArb = fc.array(fc.nat(), { maxLength: 30 });

function sameAsWhole(cp: CompiledPolicy, text: string, cuts: number[]): boolean {
  const parts = splitAt(text, cuts.map((c) => (text.length ? c % (text.length + 1) : 0)));
  const whole = filterText(cp, text, { hashSalt: SALT });
  const r = stream(cp, parts);
  expect(r.output).toBe(whole.output);
  expect(r.hits).toEqual(whole.hits);
  expect(r.blocked).toEqual(whole.blocked);
  for (const c of r.chunks) expect(c.holdback).toBeLessThanOrEqual(cp.maxHoldback);
  return true;
}

const policies: Array<[string, CompiledPolicy]> = [
  ['default (mask)', defaultPolicy()],
  [
    'partial + hash + custom',
    compilePolicy({
      version: 1,
      actions: { CREDIT_CARD: 'partial', EMAIL_ADDRESS: 'hash', PHONE_NUMBER: 'partial', IBAN_CODE: 'hash', PROFANITY: 'partial' },
      allow: { values: ['5500000000000004'], domains: ['example'.concat('.org')], patterns: ['^TEST-'] },
      custom: [
        { name: 'ORDER_ID', pattern: 'ORD-\\d{8}', flags: 'i', maxLength: 12 },
        { name: 'TAGGED', pattern: '(?<=#)\\w+\\b', maxLength: 10, action: 'hash' },
      ],
    }),
  ],
  ['block on e-mail', compilePolicy({ version: 1, actions: { EMAIL_ADDRESS: 'block' } })],
];

describe('streaming equals whole-text filtering (property)', () => {
  const corpus = loadCorpus().map((l) => l.chunks.join(''));

  for (const [name, cp] of policies) {
    it(`${name}: random chunkings of the tricky corpus`, () => {
      fc.assert(fc.property(fc.constantFrom(...corpus), cutsArb, (t, cuts) => sameAsWhole(cp, t, cuts)), { seed: SEED, numRuns: 400 });
    });

    it(`${name}: random texts glued from nasty fragments, random chunkings`, () => {
      fc.assert(fc.property(textArb, cutsArb, (t, cuts) => sameAsWhole(cp, t, cuts)), { seed: SEED, numRuns: 400 });
    });

    it(`${name}: arbitrary UTF-16 (lone surrogates included), random chunkings`, () => {
      fc.assert(fc.property(anyText, cutsArb, (t, cuts) => sameAsWhole(cp, t, cuts)), { seed: SEED, numRuns: 200 });
    });
  }

  it('long texts, one chunk per code unit or random small chunks, every policy', () => {
    const longText = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 40, maxLength: 160 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(longText, fc.integer({ min: 1, max: 6 }), fc.constantFrom(...policies.map(([, p]) => p)), (t, size, cp) => {
        const whole = filterText(cp, t, { hashSalt: SALT });
        for (const parts of [t.split(''), t.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? []]) {
          const r = stream(cp, parts);
          expect(r.output).toBe(whole.output);
          expect(r.hits).toEqual(whole.hits);
        }
        return true;
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('minimal hold-back (property)', () => {
  it('a line break settles every built-in candidate: nothing stays held', () => {
    fc.assert(
      fc.property(textArb, cutsArb, (t, cuts) => {
        const f = createFilter(defaultPolicy(), { hashSalt: SALT });
        for (const part of splitAt(t, cuts.map((c) => c % (t.length + 1)))) f.feed(part);
        const after = f.feed('\n');
        // Only half a surrogate pair may wait across a line break... and it cannot: the '\n' follows it.
        expect(after.holdback).toBe(0);
        expect(after.pending).toEqual([]);
        return true;
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('something is pending exactly when something is held (surrogate halves aside)', () => {
    fc.assert(
      fc.property(textArb, cutsArb, (t, cuts) => {
        const f = createFilter(defaultPolicy());
        let fed = '';
        for (const part of splitAt(t, cuts.map((c) => c % (t.length + 1)))) {
          const c = f.feed(part);
          fed += part;
          const endsInHighHalf = /[\ud800-\udbff]$/.test(fed);
          if (c.pending.length === 0) expect(c.holdback).toBe(endsInHighHalf ? 1 : 0);
          else expect(c.holdback).toBeGreaterThan(0);
        }
        return true;
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('the scan shortcut for plain words is exact (property)', () => {
  // Detectors declaring plainWordNone must answer NONE for a word of letters followed by plain punctuation.
  const plainWord = fc.tuple(fc.stringMatching(/^[A-Za-z_]{1,12}$/), fc.constantFrom(' ', ',', ';', '!', '?', ')', '\n', '"', "'", '*', '/', '#', '&', '<'));
  for (const det of [createEmailDetector(), createIbanDetector(), createIpv6Detector()]) {
    it(`${det.type} (${det.startsAt.name || 'detector'}) says NONE`, () => {
      expect(det.plainWordNone).toBe(true);
      fc.assert(
        fc.property(plainWord, fc.constantFrom('', ' ', '(', '\n'), ([w, t], before) => {
          const s = `${before}${w}${t}tail`;
          for (const atEnd of [false, true]) expect(det.detect(s, before.length, atEnd, () => '')).toBe(NONE);
          return true;
        }),
        { seed: SEED, numRuns: 300 },
      );
    });
  }
});
