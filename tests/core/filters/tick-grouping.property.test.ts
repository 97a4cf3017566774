// Tick coalescing (issue 13): the turn runner appends every token of an event-loop tick and scans once at
// the end of the tick. Proved here over random chunkings *and* random groupings of the chunks into ticks
// (seeded fast-check): the released text and hits equal the whole-text pass, and at every scan point the
// release, the hold-back and its reason are exactly those of feeding the tick's text in one piece — so the
// hold-back rule (text released as soon as no candidate could still cover it) holds at every scan.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy, createFilter, filterText, type CompiledPolicy, type FilterChunk, type Hit } from '../../../electron/core/filters';
import { defaultPolicy, loadCorpus, SALT, splitAt } from './helpers';

const SEED = 20261201;
const FRAGMENTS = [
  '4111', ' ', '1111', '-', '.', '@', 'a', 'b.c', 'com', 'jane', 'example', '\n', '!', ',', '+1 415 555 2671', 'call me at ',
  ' office', 'fuck', 'Scunthorpe', 'DE89 3704 0044 0532 0130 00', '536-22-1234', '192.168.', '1.1', '2001:db8::8a2e:370:7334',
  '\ud83d', '\ude00', 'é', '`', 'x', '2024-01-15', 'ORD-', '12345678', '#', 'word ', 'the answer ', '',
];
const textArb = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 50 }).map((xs) => xs.join(''));
const anyText = fc.string({ unit: 'binary', maxLength: 120 });
const cutsArb = fc.array(fc.nat(), { maxLength: 40 });
/** Tick sizes in chunks (0: a tick that scans without new text), cycled over the chunks. */
const ticksArb = fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 12 });

/** [name, policy]: built-in detectors only, the policy's own patterns beside them, a block. */
const policies: Array<[string, CompiledPolicy]> = [
  ['default', defaultPolicy()],
  [
    'partial + hash + allow + custom',
    compilePolicy({
      version: 1,
      actions: { CREDIT_CARD: 'partial', EMAIL_ADDRESS: 'hash', PHONE_NUMBER: 'partial' },
      allow: { values: ['5500000000000004'], patterns: ['^TEST-'] },
      custom: [
        { name: 'ORDER_ID', pattern: 'ORD-\\d{8}', maxLength: 12 },
        { name: 'TAGGED', pattern: '(?<=#)\\w+\\b', maxLength: 10, action: 'hash' },
      ],
    }),
  ],
  ['block on card, hash e-mail', compilePolicy({ version: 1, actions: { CREDIT_CARD: 'block', EMAIL_ADDRESS: 'hash' } })],
];

/** The chunks grouped into ticks of the given sizes (cycled); the last tick takes what remains. */
function group(parts: string[], sizes: number[]): string[][] {
  const ticks: string[][] = [];
  let k = 0;
  for (let n = 0; k < parts.length; n++) {
    const size = sizes[n % sizes.length]!;
    ticks.push(parts.slice(k, k + size));
    k += size;
    if (n > 4 * parts.length + sizes.length) break; // sizes all 0: the rest goes in one tick below
  }
  if (k < parts.length) ticks.push(parts.slice(k));
  return ticks;
}

function check(cp: CompiledPolicy, text: string, cuts: number[], sizes: number[]): boolean {
  const parts = splitAt(text, cuts.map((c) => c % (text.length + 1)));
  const ticked = createFilter(cp, { hashSalt: SALT });
  const fed = createFilter(cp, { hashSalt: SALT });
  let output = '';
  let prefix = '';
  const hits: Hit[] = [];
  let blocked: FilterChunk['blocked'];
  for (const tick of group(parts, sizes)) {
    for (const p of tick) ticked.append(p);
    const c = ticked.scan();
    prefix += tick.join('');
    // The tick's scan releases and holds exactly what one feed of the tick's text does…
    expect(c).toEqual(fed.feed(tick.join('')));
    expect(c.holdback).toBeLessThanOrEqual(cp.maxHoldback);
    output += c.text;
    hits.push(...c.hits);
    blocked ??= c.blocked;
    // …and everything released so far is what one scan of all the text so far releases (no shortcut
    // keeps text held that a fresh scan would release): the minimal hold-back at every scan point.
    if (!blocked) {
      const fresh = createFilter(cp, { hashSalt: SALT }).feed(prefix);
      expect(output).toBe(fresh.text);
      expect(c.holdback).toBe(fresh.holdback);
      expect(c.pending).toEqual(fresh.pending);
    }
  }
  const last = ticked.end();
  expect(last).toEqual(fed.end());
  const whole = filterText(cp, text, { hashSalt: SALT });
  expect(output + last.text).toBe(whole.output);
  expect([...hits, ...last.hits]).toEqual(whole.hits);
  expect(blocked ?? last.blocked).toEqual(whole.blocked);
  return true;
}

describe('tick groupings: streamed equals whole-text filtering, and each scan equals one feed (property)', () => {
  const corpus = loadCorpus().map((l) => l.chunks.join(''));
  for (const [name, cp] of policies) {
    it(`${name}: the tricky corpus, random chunkings and tick groupings`, () => {
      fc.assert(fc.property(fc.constantFrom(...corpus), cutsArb, ticksArb, (t, cuts, sizes) => check(cp, t, cuts, sizes)), { seed: SEED, numRuns: 300 });
    });
    it(`${name}: nasty fragments and arbitrary UTF-16, random chunkings and tick groupings`, () => {
      fc.assert(fc.property(fc.oneof(textArb, anyText), cutsArb, ticksArb, (t, cuts, sizes) => check(cp, t, cuts, sizes)), { seed: SEED, numRuns: 400 });
    });
  }

  it('one code unit per token, ticks of 1 to 64 tokens', () => {
    const longText = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 20, maxLength: 60 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(longText, fc.integer({ min: 1, max: 64 }), fc.constantFrom(...policies), (t, size, [, cp]) => {
        const cuts = Array.from({ length: t.length }, (_, i) => i);
        return check(cp, t, cuts, [size]);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('append and scan', () => {
  it('append releases nothing; the scan releases what a feed of the same text would', () => {
    const f = createFilter(defaultPolicy());
    f.append('Hello ');
    f.append('wor');
    const c = f.scan();
    expect(c).toMatchObject({ text: 'Hello ', holdback: 3 });
    expect(c.pending).toContain('EMAIL_ADDRESS');
    f.append('ld. ');
    expect(f.scan()).toMatchObject({ text: 'world. ', holdback: 0, pending: [] });
  });

  it('a scan without new text releases nothing and reports the hold-back as it is', () => {
    const f = createFilter(defaultPolicy());
    const a = f.feed('Card 4111 11');
    expect(f.scan()).toEqual({ text: '', hits: [], holdback: a.holdback, pending: a.pending });
  });

  it('end() scans what was appended and not scanned', () => {
    const f = createFilter(defaultPolicy());
    f.append('mail jane@example.com ');
    f.append('now');
    expect(f.end()).toMatchObject({ text: 'mail [EMAIL_ADDRESS] now', holdback: 0, pending: [] });
    expect(() => f.append('x')).toThrow(/after end/);
    expect(() => f.scan()).toThrow(/after end/);
  });

  it('text appended after a block is dropped', () => {
    const f = createFilter(compilePolicy({ version: 1, actions: { CREDIT_CARD: 'block' } }));
    f.append('pay 4111 1111 1111 1111 now');
    expect(f.scan()).toMatchObject({ text: 'pay ', blocked: { type: 'CREDIT_CARD' } });
    f.append(' more');
    expect(f.scan()).toMatchObject({ text: '', blocked: { type: 'CREDIT_CARD' } });
    expect(f.end()).toMatchObject({ text: '', blocked: { type: 'CREDIT_CARD' } });
  });
});
