// Attribution rules A1–A3 (docs/webchat-rendering.md), proved over seeded random chunkings: what each output
// gets of the filtered text equals the reference computed from filtering the whole text at once, whatever
// the chunking and however long the filter held text back; and once the released raw text covers an
// output, its filtered text is final.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy, createFilter, filterText, type CompiledPolicy } from '../../../electron/core/filters';
import { createAttribution } from '../../../electron/core/webchat/attribution';
import { defaultPolicy, SALT, splitAt } from '../filters/helpers';

const SEED = 20261201;

/** Reference: per output, the filtered text by A1 (copies follow their raw character) and A2 (a replacement follows the detection's last raw character). */
function reference(cp: CompiledPolicy, chunks: string[]): string[] {
  const raw = chunks.join('');
  const frameOf: number[] = [];
  chunks.forEach((c, f) => {
    for (let i = 0; i < c.length; i++) frameOf.push(f);
  });
  const whole = filterText(cp, raw, { hashSalt: SALT });
  const per = chunks.map(() => '');
  let r = 0;
  let o = 0;
  for (const h of whole.hits) {
    for (; o < h.outStart; o++, r++) per[frameOf[r]!] += whole.output[o]!;
    per[frameOf[h.end - 1]!] += whole.output.slice(h.outStart, h.outEnd);
    o = h.outEnd;
    r = h.end;
  }
  for (; o < whole.output.length; o++, r++) per[frameOf[r]!] += whole.output[o]!;
  return per;
}

/** Streams the chunks (each fed in sub-pieces) through the filter and the attribution, like a session does. */
function streamed(cp: CompiledPolicy, chunks: string[], subCuts: number[][]): { per: string[]; settledEarly: Array<[number, string]> } {
  const filter = createFilter(cp, { hashSalt: SALT });
  const attr = createAttribution();
  const per = chunks.map(() => '');
  const chunkEnd: number[] = [];
  let rawLen = 0;
  let out = 0;
  /** [frame, text at the moment the released raw text first covered it]. */
  const settledEarly: Array<[number, string]> = [];
  const settled = new Set<number>();
  const take = (c: { text: string; hits: Array<{ start: number; end: number; outStart: number; outEnd: number }> }) => {
    const hits = c.hits.map((h) => ({ rawStart: h.start, rawEnd: h.end, outStart: h.outStart, outEnd: h.outEnd }));
    for (const p of attr.release(out, c.text, hits)) {
      expect(settled.has(p.frame)).toBe(false);
      per[p.frame] += p.text;
    }
    out += c.text.length;
    check();
  };
  /** A chunk counts once all of it has arrived (chunkEnd is set then) and the released raw text covers it. */
  const check = () => {
    chunkEnd.forEach((end, f) => {
      if (!settled.has(f) && end <= attr.rawReleased() && end > 0) {
        settled.add(f);
        settledEarly.push([f, per[f]!]);
      }
    });
  };
  chunks.forEach((chunk, f) => {
    const parts = splitAt(chunk, (subCuts[f] ?? []).map((c) => c % (chunk.length + 1)));
    for (const part of parts) {
      if (!part) continue;
      attr.raw(f, rawLen, part.length);
      rawLen += part.length;
      take(filter.feed(part));
    }
    chunkEnd[f] = rawLen;
    check();
  });
  take(filter.end());
  return { per, settledEarly };
}

const FRAGMENTS = [
  'Mail jane', '.', 'doe@example.com', ' ', 'Card 4111', ' 1111 1111', ' 1111', '!', '?', '\n', 'IBAN DE89 3704', ' 0044 0532 0130 00',
  'call me at ', '+1 415', ' 555 2671', 'fuck', 'Scunthorpe', '😀', '\ud83d', '\ude00', 'ok', '3.14', 'ORD-1234', '5678', '#tag', ' x',
];
const chunkArb = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 0, maxLength: 5 }).map((xs) => xs.join(''));
const chunksArb = fc.array(chunkArb, { minLength: 1, maxLength: 8 });
const subCutsArb = fc.array(fc.array(fc.nat(), { maxLength: 3 }), { maxLength: 8 });

const policies: Array<[string, CompiledPolicy]> = [
  ['default (mask)', defaultPolicy()],
  [
    'partial + hash + custom',
    compilePolicy({
      version: 1,
      actions: { CREDIT_CARD: 'partial', EMAIL_ADDRESS: 'hash', PHONE_NUMBER: 'partial', IBAN_CODE: 'hash', PROFANITY: 'off' },
      custom: [{ name: 'ORDER_ID', pattern: 'ORD-\\d{8}', maxLength: 12 }],
    }),
  ],
  ['block on e-mail', compilePolicy({ version: 1, actions: { EMAIL_ADDRESS: 'block' } })],
];

describe('attribution of filtered text to outputs (A1–A3, property)', () => {
  for (const [name, cp] of policies) {
    it(`${name}: every output gets what the whole-text reference gives it, for any chunking`, () => {
      fc.assert(
        fc.property(chunksArb, subCutsArb, (chunks, cuts) => {
          const ref = reference(cp, chunks);
          const got = streamed(cp, chunks, cuts);
          expect(got.per).toEqual(ref);
          // A3: settled means final — the text an output had when the released raw text covered it is all it gets.
          for (const [f, text] of got.settledEarly) expect(text).toBe(ref[f]);
          return true;
        }),
        { seed: SEED, numRuns: 500 },
      );
    });
  }
});

describe('attribution, hand-picked boundaries', () => {
  const cp = defaultPolicy();
  it('A2: an e-mail split by a flush at its dot goes to the chunk that completes it', () => {
    const got = streamed(cp, ['Write to jane.', 'doe@example.com please.'], []).per;
    expect(got).toEqual(['Write to ', '[EMAIL_ADDRESS] please.']);
  });
  it('A2: a card split over a chunk and the closing chunk belongs to the closing chunk', () => {
    const got = streamed(cp, ['Card 4111 1111', ' 1111 1111'], []).per;
    expect(got).toEqual(['Card ', '[CREDIT_CARD]']);
  });
  it('A1: text held back across a boundary still belongs to its own chunk', () => {
    // "4111" could start a card: held back with chunk 0, released only when chunk 1 shows it is not one.
    const got = streamed(cp, ['Order 4111', ' shipped.'], []).per;
    expect(got).toEqual(['Order 4111', ' shipped.']);
  });
});
