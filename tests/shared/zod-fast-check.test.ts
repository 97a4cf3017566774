// The cassette reader's fast path must be zod with the same answer, only faster: whatever it accepts, zod
// accepts with the identical result (same fields, same key order); whatever it is unsure of goes to zod.
// Checked on the events the engine writes and on seeded random corruptions of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CassetteEvent } from '../../electron/core/recording/cassette-schema';
import { compileFastCheck } from '../../shared/zod-fast-check';
import { turnEvents } from '../core/recording/fixtures';

const fast = compileFastCheck(CassetteEvent);

const samples: unknown[] = [
  ...turnEvents({ turnId: 't1', input: 'hello', tokens: ['Hel', 'lo', ' a@b.io'], filtered: ['Hel', 'lo', ' [EMAIL]'], hits: [{ type: 'EMAIL_ADDRESS', action: 'mask', rawStart: 5, rawEnd: 12, outStart: 5, outEnd: 13 }] }),
  { type: 'token', turnId: 't1', at: 3.25, index: 4, bytes: '8J+Y', origin: { frame: 2, kind: 'binary' } },
  { type: 'token', turnId: 't1', at: 4, index: 5, textLength: 3, origin: { frame: 3, seq: 3, kind: 'text', messageId: 'm1', source: 'bot', traceId: 'x', disableSensitiveLogging: true } },
  { type: 'raw.text', turnId: 't1', at: 4, start: 0, text: '😀', token: 5, joined: 'utf8-split', joinedFrom: 4, byteStart: 0, byteEnd: 4 },
  { type: 'filtered.text', turnId: 't1', at: 5, start: 0, text: '', hits: [], holdback: 4, holdbackReason: ['EMAIL_ADDRESS', 'PHONE_NUMBER'] },
  // Key order as the engine writes it, not the schema's: the result must still be zod's order.
  { at: 1, turnId: 't1', type: 'raw.text', token: 0, text: 'x', start: 0 },
];

function zodResult(v: unknown): string | undefined {
  const r = CassetteEvent.safeParse(v);
  return r.success ? JSON.stringify(r.data) : undefined;
}

/** A copy of `v` with the value at a random path replaced, removed or given a sibling it does not know. */
function mutate(v: unknown, path: number[], what: 'replace' | 'remove' | 'extra', value: unknown): unknown {
  const copy = structuredClone(v);
  let node: unknown = copy;
  for (let depth = 0; ; depth++) {
    if (typeof node !== 'object' || node === null) return copy;
    const keys = Object.keys(node);
    if (keys.length === 0) return copy;
    const key = keys[(path[depth] ?? 0) % keys.length]!;
    const child = (node as Record<string, unknown>)[key];
    const last = depth >= path.length - 1 || typeof child !== 'object' || child === null;
    if (last) {
      const o = node as Record<string, unknown>;
      if (what === 'replace') o[key] = value;
      else if (what === 'remove') delete o[key];
      else o[`${key}_extra`] = value;
      return copy;
    }
    node = child;
  }
}

/** A sample with the value at a random path replaced, removed or given a sibling it does not know. */
const corrupted = fc
  .tuple(
    fc.integer({ min: 0, max: samples.length - 1 }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('replace', 'remove', 'extra'),
    fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 0.5, 2 ** 53, '', 'text', 'binary', 'token', 'mask', null, [], {}, true)),
  )
  .map(([i, path, what, value]) => mutate(samples[i], path, what, value));

describe('zod fast check (cassette lines, event batches)', () => {
  it('accepts the events the engine writes, with exactly zod’s result', () => {
    for (const s of samples) {
      const got = fast(s);
      expect(got, JSON.stringify(s)).toBeDefined();
      expect(JSON.stringify(got)).toBe(zodResult(s));
    }
  });

  it('never accepts what zod refuses, never returns other than zod (seeded random corruptions)', () => {
    fc.assert(
      fc.property(
        corrupted,
        (v) => {
          const got = fast(v);
          if (got !== undefined) expect(JSON.stringify(got)).toBe(zodResult(v));
        },
      ),
      { seed: 1313, numRuns: 3000 },
    );
  });

  it('with reuse: answers with the value itself, only where zod accepts it and strips nothing (seeded corruptions)', () => {
    const reuse = compileFastCheck(CassetteEvent, { reuse: true });
    for (const s of samples) expect(reuse(s)).toBe(s);
    expect(reuse({ ...(samples[0] as object), stray: 1 })).toBeUndefined();
    fc.assert(
      fc.property(
        corrupted,
        (v) => {
          const got = reuse(v);
          if (got === undefined) return;
          expect(got).toBe(v);
          // zod accepts it, and what zod returns holds the same: no key was stripped.
          expect(JSON.stringify(got)).toBe(JSON.stringify(v));
          const z = CassetteEvent.safeParse(v);
          expect(z.success).toBe(true);
          if (z.success) expect(z.data).toEqual(v);
        },
      ),
      { seed: 1414, numRuns: 3000 },
    );
  });

  it('leaves to zod what it does not compile: strict objects, refinements, unknown types', () => {
    const U = z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('strict'), a: z.string() }),
      z.object({ type: z.literal('refined'), a: z.string().regex(/y/) }),
      z.object({ type: z.literal('date'), a: z.date() }),
      z.object({ type: z.literal('plain'), a: z.number().int().nonnegative(), b: z.string().optional() }),
    ]);
    const f = compileFastCheck(U);
    expect(f({ type: 'strict', a: 'x' })).toBeUndefined();
    expect(f({ type: 'refined', a: 'xyz' })).toBeUndefined();
    expect(f({ type: 'date', a: new Date() })).toBeUndefined();
    expect(f({ type: 'plain', a: 1, c: 'stripped' })).toEqual({ type: 'plain', a: 1 });
    expect(f({ type: 'plain', a: -1 })).toBeUndefined();
    expect(f({ type: 'plain', a: 1.5 })).toBeUndefined();
    expect(f({ type: 'plain', a: 1, b: 2 })).toBeUndefined();
    expect(f({ type: 'other' })).toBeUndefined();
  });

  it('checks string lengths, and unions nested in objects and arrays, as zod does', () => {
    const Inner = z.discriminatedUnion('type', [
      z.object({ type: z.literal('a'), s: z.string().min(2).max(3) }),
      z.object({ type: z.literal('b'), n: z.number() }),
    ]);
    const Outer = z.object({ id: z.string().min(1), items: z.array(Inner) });
    const f = compileFastCheck(Outer);
    const good = { id: 'x', items: [{ type: 'a', s: 'ab' }, { type: 'b', n: 1 }, { type: 'a', s: 'abc' }] };
    expect(f(good)).toEqual(good);
    for (const bad of [
      { id: '', items: [] },
      { id: 'x', items: [{ type: 'a', s: 'a' }] },
      { id: 'x', items: [{ type: 'a', s: 'abcd' }] },
      { id: 'x', items: [{ type: 'c' }] },
      { id: 'x', items: [['a']] },
    ]) {
      expect(f(bad)).toBeUndefined();
      expect(Outer.safeParse(bad).success).toBe(false);
    }
  });
});
