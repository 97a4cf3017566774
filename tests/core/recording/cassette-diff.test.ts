import { describe, expect, it } from 'vitest';
import { diffCassettes } from '../../../electron/core/recording/cassette-diff';
import type { Cassette, CassetteHeader } from '../../../electron/core/recording/cassette-schema';
import { formatCassetteDiff } from '../../../electron/core/recording/format-diff';
import { similarity, textDiff } from '../../../electron/core/recording/text-diff';
import { summarizeTurns } from '../../../electron/core/recording/turns';
import { HEADER_INPUT, turnEvents, type TurnSpec } from './fixtures';

const header = (over: Partial<CassetteHeader> = {}): CassetteHeader => ({
  format: 'cognigy-stream-debugger.cassette',
  version: 1,
  createdAt: '2025-01-01T00:00:00Z',
  toolVersion: '0.1.0',
  redacted: false,
  ...HEADER_INPUT,
  ...over,
});
const cassette = (specs: TurnSpec[], over: Partial<CassetteHeader> = {}): Cassette => ({ header: header(over), events: specs.flatMap(turnEvents) });

describe('text diff', () => {
  it('equal texts', () => {
    expect(textDiff('a', 'a')).toMatchObject({ same: true, similarity: 1, patch: '' });
  });
  it('gives a unified diff, word parts and a similarity', () => {
    const d = textDiff('- one\n- two\n- three\n', '- one\n- 2\n- three\n', { a: 'recorded', b: 'replayed' });
    expect(d.same).toBe(false);
    expect(d.patch).toContain('--- recorded\n+++ replayed\n@@ -1,3 +1,3 @@\n - one\n-- two\n+- 2\n - three\n');
    expect(d.parts.filter((p) => p.removed).map((p) => p.value)).toEqual(['two']);
    expect(d.similarity).toBeGreaterThan(0.8);
    expect(d.similarity).toBeLessThan(1);
    expect(similarity('', '')).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
  });
});

describe('cassette diff', () => {
  const base: TurnSpec[] = [
    { turnId: 'a1', input: 'hi', tokens: ['Hel', 'lo'] },
    { turnId: 'a2', input: 'card?', tokens: ['no', ' card'] },
  ];

  it('two runs with the same answers are the same, whatever the timing', () => {
    const a = cassette(base);
    const b = cassette(base.map((s) => ({ ...s, turnId: `b${s.turnId}`, firstMs: 400, gapMs: 30 })));
    const d = diffCassettes(a, b);
    expect(d.same).toBe(true);
    expect(d.turns[0]?.timing.ttftMs).toEqual({ a: 100, b: 400, delta: 300 });
    expect(formatCassetteDiff(d, { a: 'a.jsonl', b: 'b.jsonl' })).toMatch(/same: 2 turns match$/);
  });

  it('reports text, token-boundary, hit, status and usage changes per turn', () => {
    const a = cassette(base);
    const b = cassette([
      { turnId: 'b1', input: 'hi', tokens: ['H', 'ello'] },
      {
        turnId: 'b2',
        input: 'card?',
        tokens: ['4111 1111 1111 1111'],
        filtered: ['[CREDIT_CARD]'],
        hits: [{ type: 'CREDIT_CARD', action: 'mask', rawStart: 0, rawEnd: 19, outStart: 0, outEnd: 13 }],
        status: 'partial',
        usage: { prompt: 5, completion: 9 },
      },
    ]);
    const d = diffCassettes(a, b);
    expect(d.same).toBe(false);
    const [t1, t2] = d.turns;
    expect(t1?.raw?.same).toBe(true);
    expect(t1?.tokens).toMatchObject({ same: false, added: [1], removed: [3] });
    expect(t1?.same).toBe(false);
    // What made each turn different, said once for the CLI text and the app's badge.
    expect(t1?.differs).toEqual(['token boundaries']);
    expect(t2?.differs).toEqual(['status', 'raw text', 'filtered text', 'token boundaries', 'filter hits', 'errors', 'usage']);
    expect(t2?.filtered?.same).toBe(false);
    expect(t2?.filtered?.patch).toContain('+[CREDIT_CARD]');
    expect(t2?.hits.added.map((h) => h.type)).toEqual(['CREDIT_CARD']);
    expect(t2?.status).toEqual({ a: 'complete', b: 'partial', same: false });
    expect(t2?.usage.total).toEqual({ a: 7, b: 14, delta: 7 });
    const text = formatCassetteDiff(d, { a: 'a.jsonl', b: 'b.jsonl' });
    expect(text).toContain('turn 1 "hi": different (token boundaries)');
    expect(text).toContain('tokens: 2 → 2; cut added at 1; cut gone at 3');
    expect(text).toContain('hit added: CREDIT_CARD (mask) raw 0–19, out 0–13');
    expect(text).toContain('status: complete → partial  (changed)');
    expect(text).toContain('usage total: 7 → 14 (+7)');
    expect(text).toMatch(/different: 2 of 2 turns differ$/);
  });

  it('turns present in one recording only', () => {
    const d = diffCassettes(cassette(base), cassette(base.slice(0, 1)));
    expect(d.same).toBe(false);
    expect(d.turns[1]?.onlyIn).toBe('a');
    expect(formatCassetteDiff(d, { a: 'a', b: 'b' })).toContain('turn 2 "card?": only in A');
  });

  it('a redacted recording compares filtered text and boundaries, not raw text', () => {
    const a = cassette(base);
    const redactedEvents = a.events
      .filter((e) => e.type !== 'raw.text')
      .map((e) => (e.type === 'token' ? { ...e, text: undefined, textLength: e.text?.length } : e));
    const d = diffCassettes(a, { header: header({ redacted: true }), events: redactedEvents });
    expect(d.headerChanges).toEqual(['redacted: false → true']);
    expect(d.turns[0]?.raw).toBeNull();
    expect(d.same).toBe(true);
    expect(summarizeTurns(redactedEvents)[0]?.tokens.map((t) => t.size)).toEqual([3, 2]);
  });
});
