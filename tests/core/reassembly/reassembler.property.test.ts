// Seeded properties: for any text and any chunking (UTF-16 units or UTF-8 bytes), reassembly gives back the
// exact text, the fragments cover it contiguously, and only lone surrogates / invalid bytes become U+FFFD.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cut, expectConsistent, pieces, run, utf8, whatwgDecode, type TokSpec } from './helpers';

const SEED = 424242;
const RUNS = 400;

/** Text as an LLM sends it: words, whitespace, markdown, digits, accents, CJK, emoji and any astral code point. */
const unit = fc.oneof(
  fc.constantFrom(' ', '  ', '\n', '\t', '\r\n', '*', '_', '~', '`', '**', '```', '.', '@', '-', '3.14', 'snake_case', 'https://x.y/a_b'),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 }),
  fc.constantFrom('é', 'ß', '€', '한', '中文', '😀', '🍕', '👩‍💻', '🇩🇪', '𝄞', '\uFEFF', '\u200D', '\uFFFD'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
);
const text = fc.array(unit, { maxLength: 40 }).map((a) => a.join(''));
const sizes = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 });

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (s: string): string => s.replace(LONE, '\uFFFD');
const isWellFormed = (s: string): boolean => !new RegExp(LONE.source).test(s);

describe('reassembler properties (seeded)', () => {
  it('any text, any UTF-16 chunking → the exact text, complete code points per delta, no issues', () => {
    fc.assert(
      fc.property(text, sizes, (s, sz) => {
        const res = run(cut(s, sz).map((t) => ({ text: t })));
        expect(res.text).toBe(s);
        expect(res.r.issues()).toEqual([]);
        for (const d of res.deltas) expect(isWellFormed(d.text)).toBe(true);
        expectConsistent(res);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('any text, any UTF-8 byte chunking → the exact text; byte ranges cover the bytes contiguously', () => {
    fc.assert(
      fc.property(text, sizes, (s, sz) => {
        const bytes = utf8(s);
        const res = run(cut(bytes, sz).map((b) => ({ bytes: b })));
        expect(res.text).toBe(s);
        expect(res.r.issues()).toEqual([]);
        let pos = 0;
        for (const f of pieces(res.deltas)) {
          expect(f.byteStart).toBe(pos);
          pos = f.byteEnd!;
          expect(Buffer.from(res.text.slice(f.start, f.end), 'utf8')).toEqual(Buffer.from(bytes.subarray(f.byteStart, f.byteEnd)));
        }
        expect(pos).toBe(bytes.length);
        expectConsistent(res);
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('lone surrogates anywhere → U+FFFD at exactly their positions, each reported', () => {
    const withLone = fc
      .array(fc.oneof(unit, fc.constantFrom('\uD83D', '\uDE00', '\uD800', '\uDFFF')), { maxLength: 30 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(withLone, sizes, (s, sz) => {
        const res = run(cut(s, sz).map((t) => ({ text: t })));
        const expected = wellFormed(s);
        expect(res.text).toBe(expected);
        const lonePositions = [...s.matchAll(LONE)].map((m) => m.index);
        expect(res.r.issues().map((i) => i.position).sort((a, b) => a - b)).toEqual(lonePositions);
        for (const i of res.r.issues()) expect(i.kind).toBe('lone-surrogate');
        expectConsistent(res);
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });

  it('arbitrary bytes, any chunking → TextDecoder’s text; every reported position holds a U+FFFD', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), sizes, (bytes, sz) => {
        const res = run(cut(bytes, sz).map((b) => ({ bytes: b })));
        const expected = whatwgDecode(bytes);
        expect(res.text).toBe(expected);
        for (const i of res.r.issues()) expect(res.text[i.position]).toBe('\uFFFD');
        if (!Buffer.from(bytes).includes(Buffer.from([0xef, 0xbf, 0xbd]))) {
          expect(res.r.issues().length).toBe([...expected].filter((c) => c === '\uFFFD').length);
        }
        expectConsistent(res);
      }),
      { seed: SEED + 3, numRuns: RUNS * 2 },
    );
  });

  it('text and binary segments mixed, each chunked its own way → the exact concatenation', () => {
    const segment = fc.record({ binary: fc.boolean(), s: text, sz: sizes });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segs) => {
        const specs: TokSpec[] = [];
        for (const g of segs) {
          if (g.binary) for (const b of cut(utf8(g.s), g.sz)) specs.push({ bytes: b });
          else for (const t of cut(g.s, g.sz)) specs.push({ text: t });
        }
        const res = run(specs);
        expect(res.text).toBe(segs.map((g) => g.s).join(''));
        expect(res.r.issues()).toEqual([]);
        expectConsistent(res);
      }),
      { seed: SEED + 4, numRuns: RUNS },
    );
  });

  it('socket-endpoint messages in chunks → messages joined by one "\\n" unless already there, marked as inserted', () => {
    const message = fc.record({ s: text, sz: sizes, id: fc.boolean() });
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), (msgs) => {
        const specs: TokSpec[] = [];
        msgs.forEach((m, k) => {
          // Without an id, a message is one output (one chunk).
          const chunks = m.id ? cut(m.s, m.sz) : [m.s];
          for (const t of chunks) specs.push(m.id ? { text: t, messageId: `m${k}` } : { text: t });
        });
        const res = run(specs, { messages: 'per-output' });
        let expected = '';
        for (const m of msgs) {
          if (m.s.length === 0) continue;
          if (expected.length > 0 && !expected.endsWith('\n')) expected += '\n';
          expected += m.s;
        }
        expect(res.text).toBe(expected);
        // What reassembly inserted is marked: without it, the text is exactly what was sent.
        expect(res.deltas.filter((d) => !d.separator).map((d) => d.text).join('')).toBe(msgs.map((m) => m.s).join(''));
        expectConsistent(res);
      }),
      { seed: SEED + 5, numRuns: RUNS },
    );
  });
});
