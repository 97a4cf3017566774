// Answer plans, BPE cutting and output chunking without sockets: determinism, nothing lost, and the
// guarantees each scenario promises (PII split across frames, lone surrogates, bytes split inside
// characters). Property tests are seeded so a failure reproduces.
import fc from 'fast-check';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { encodeChat } from 'gpt-tokenizer/model/gpt-4o';
import { describe, expect, it } from 'vitest';
import { createScriptedAnswers, PII_SAMPLES, type PlanStep } from '../../../electron/core/simulator/index';
import { splitSurrogates } from '../../../electron/core/simulator/answers';
import { createOutputChunker } from '../../../electron/core/simulator/output-chunker';
import { createPacer } from '../../../electron/core/simulator/pacing';
import { createPrng, seedFrom } from '../../../electron/core/simulator/prng';
import { bytePieces, completePrefixLength, countTokens, joinToText, textPieces } from '../../../electron/core/simulator/tokenizer';
import { SCENARIOS, type ScenarioName } from '../../../shared/scenarios';
import { isWellFormed } from './helpers';

const SEED = 20250611;
const answers = createScriptedAnswers();
const dataTokens = (steps: PlanStep[]) => steps.flatMap((s) => (s.kind === 'tokens' || s.kind === 'done' ? [s] : []));

function luhn(digits: string): boolean {
  let sum = 0;
  const d = digits.replace(/\D/g, '');
  for (let i = 0; i < d.length; i++) {
    let n = Number(d[d.length - 1 - i]);
    if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  }
  return sum % 10 === 0;
}

function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s/g, '');
  const moved = s.slice(4) + s.slice(0, 4);
  const numeric = moved.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  return rem === 1;
}

describe('tokenizer', () => {
  it('cuts by real o200k BPE tokens: pieces are the vocabulary entries', () => {
    const text = 'Hello world, snake_case 2*3 https://example.com 😀';
    expect(bytePieces(text)).toHaveLength(encode(text).length);
    expect(textPieces('Hello world')).toEqual(['Hello', ' world']);
    expect(countTokens(text)).toBe(encode(text).length);
  });

  it('text pieces taken straight from the vocabulary equal the bytes joined and decoded (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('Hello world', '東京 😀👍🏽 é', 'a@b.io +41 79 123 45 67')), (s) => {
        expect(textPieces(s)).toEqual(joinToText(bytePieces(s)));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps multi-byte tokens whole in text pieces and joins back losslessly (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const pieces = textPieces(s);
        expect(pieces.join('')).toBe(s);
        for (const p of pieces) expect(isWellFormed(p)).toBe(true);
        expect(Buffer.concat(bytePieces(s))).toEqual(Buffer.from(s, 'utf8'));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('completePrefixLength finds the last character boundary', () => {
    const thumbs = Buffer.from('a👍', 'utf8');
    expect(completePrefixLength(thumbs)).toBe(5);
    expect(completePrefixLength(thumbs.subarray(0, 3))).toBe(1);
    expect(completePrefixLength(Buffer.from('é', 'utf8').subarray(0, 1))).toBe(0);
  });
});

describe('answer plans', () => {
  it('are deterministic for (input, scenario) and differ between scenarios', () => {
    for (const scenario of SCENARIOS) {
      const a = createScriptedAnswers().plan({ input: 'same', scenario, attempt: 1 });
      const b = createScriptedAnswers().plan({ input: 'same', scenario, attempt: 1 });
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }
    expect(answers.plan({ input: 'x', scenario: 'happy', attempt: 1 }).answer).not.toBe(answers.plan({ input: 'x', scenario: 'pii', attempt: 1 }).answer);
  });

  it('carry the whole answer in data frames of 1-3 tokens for complete scenarios, with real usage (property)', () => {
    const complete: ScenarioName[] = ['happy', 'pii', 'emoji-split', 'duplicate-seq', 'malformed-frame', 'no-usage'];
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.constantFrom(...complete), (input, scenario) => {
        const plan = answers.plan({ input, scenario, attempt: 1 });
        const frames = dataTokens(plan.steps);
        const seen = new Set<number>();
        let text = '';
        for (const f of frames) {
          expect(f.tokens.length).toBeGreaterThanOrEqual(1);
          expect(f.tokens.length).toBeLessThanOrEqual(3);
          if (seen.has(f.seq)) continue;
          seen.add(f.seq);
          text += f.tokens.join('');
        }
        expect(text).toBe(plan.answer);
        // What an OpenAI chat completion reports for one user message (framing included).
        expect(plan.usage.prompt_tokens).toBe(encodeChat([{ role: 'user', content: input }]).length);
        expect(plan.usage.completion_tokens).toBe(encode(plan.answer).length);
        expect(plan.steps.at(-1)).toMatchObject({ kind: 'close', code: 1000 });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('pace with a ~300 ms first-token delay and 20-60 ms per token', () => {
    const plan = answers.plan({ input: 'pacing', scenario: 'happy', attempt: 1 });
    const frames = dataTokens(plan.steps);
    const [first, ...rest] = frames;
    expect(first?.delayMs).toBeGreaterThanOrEqual(250 + 20 * (first?.tokens.length ?? 0));
    expect(first?.delayMs).toBeLessThanOrEqual(350 + 60 * (first?.tokens.length ?? 0));
    for (const f of rest) {
      expect(f.delayMs).toBeGreaterThanOrEqual(20 * f.tokens.length);
      expect(f.delayMs).toBeLessThanOrEqual(60 * f.tokens.length);
    }
  });

  it('pii: the samples are valid (Luhn, IBAN mod-97) and each spans a frame boundary, for any input (property)', () => {
    expect(luhn(PII_SAMPLES.card)).toBe(true);
    expect(ibanValid(PII_SAMPLES.iban)).toBe(true);
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const plan = answers.plan({ input, scenario: 'pii', attempt: 1 });
        const frames = dataTokens(plan.steps).map((f) => f.tokens.join(''));
        const text = frames.join('');
        let at = 0;
        const cuts = frames.map((f) => (at += f.length));
        for (const sample of Object.values(PII_SAMPLES)) {
          const start = text.lastIndexOf(sample);
          expect(start).toBeGreaterThanOrEqual(0);
          expect(cuts.some((c) => c > start && c < start + sample.length)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('emoji-split: always a frame ending in a lone high surrogate followed by one starting with the low half (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const frames = dataTokens(answers.plan({ input, scenario: 'emoji-split', attempt: 1 }).steps).map((f) => f.tokens);
        const hit = frames.some((t, i) => {
          const a = t.at(-1) ?? '';
          const b = frames[i + 1]?.[0] ?? '';
          return /[\ud800-\udbff]$/.test(a) && /^[\udc00-\udfff]/.test(b);
        });
        expect(hit).toBe(true);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('splitSurrogates splits between the halves and loses nothing', () => {
    const { pieces, firstSplit } = splitSurrogates(['Hi', ' 😀!', '👍🏽']);
    expect(pieces.join('')).toBe('Hi 😀!👍🏽');
    expect(pieces[firstSplit]).toBe(' \ud83d');
    expect(pieces[firstSplit + 1]).toBe('\ude00!');
  });

  it('binary-utf8: the bytes are the answer, and a frame boundary falls inside a character (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const plan = answers.plan({ input, scenario: 'binary-utf8', attempt: 1 });
        const bins = plan.steps.flatMap((s) => (s.kind === 'bytes' ? [Buffer.from(s.bytes)] : []));
        expect(Buffer.concat(bins).toString('utf8')).toBe(plan.answer);
        expect(bins.slice(1).some((b) => ((b[0] ?? 0) & 0xc0) === 0x80)).toBe(true);
        expect(plan.steps.at(-2)).toMatchObject({ kind: 'done', tokens: [], seq: 0 });
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('rate-limit fails only the first attempt', () => {
    expect(answers.plan({ input: 'x', scenario: 'rate-limit', attempt: 1 }).steps.map((s) => s.kind)).toEqual(['error', 'close']);
    expect(answers.plan({ input: 'x', scenario: 'rate-limit', attempt: 2 }).steps.at(-2)?.kind).toBe('done');
  });

  it('refuses a repeat outside 1..MAX_REPEAT', () => {
    expect(() => answers.plan({ input: 'x', scenario: 'happy', attempt: 1, repeat: 0 })).toThrow(/repeat/);
  });
});

describe('output chunker', () => {
  it('flushes at . ! ? and newline, loses nothing, and never ends a chunk inside a surrogate pair (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 40 }), (tokens) => {
        const chunker = createOutputChunker();
        const chunks: string[] = [];
        for (const t of tokens) chunks.push(...chunker.feed(t));
        const rest = chunker.end();
        expect(chunks.join('') + rest).toBe(tokens.join(''));
        for (const c of chunks) {
          expect(/[.!?\n]/.test(c)).toBe(true);
          expect(isWellFormed(c)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
    const c = createOutputChunker();
    expect(['jane', '.d', 'oe'].flatMap((t) => c.feed(t))).toEqual(['jane.d']);
    expect(c.end()).toBe('oe');
    // A flush token that ends in a lone high surrogate keeps that half for the next chunk.
    expect(c.feed('Hi.\ud83d')).toEqual(['Hi.']);
    expect(c.feed('\ude00 ok!')).toEqual(['😀 ok!']);
  });
});

describe('prng and pacing', () => {
  it('the PRNG is seeded: the same seed gives the same sequence', () => {
    const a = createPrng(seedFrom('x', 'y'));
    const b = createPrng(seedFrom('x', 'y'));
    expect(Array.from({ length: 5 }, () => a.int(0, 1000))).toEqual(Array.from({ length: 5 }, () => b.int(0, 1000)));
    expect(seedFrom('x', 'y')).not.toBe(seedFrom('xy', ''));
  });

  it('speed 0 waits for nothing but yields to the event loop now and then; abort stops a wait', async () => {
    const pacer = createPacer(0);
    const ac = new AbortController();
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) await pacer.wait(10_000, ac.signal);
    expect(performance.now() - t0).toBeLessThan(1000); // 1,000 waits of 10 s each at speed 1 would take hours
    const slow = createPacer(1);
    const waiting = slow.wait(60_000, ac.signal);
    ac.abort();
    expect(await waiting).toBe(false);
    expect(() => createPacer(-1)).toThrow(/speed/);
  });
});
