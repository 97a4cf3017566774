import { describe, expect, it } from 'vitest';
import { AssertionFileError, evaluateAssertions, parseAssertionFile, assertionsFor } from '../../../electron/core/recording/assertions';
import { compareTurn } from '../../../electron/core/recording/checks';
import { summarizeTurns, type TurnRecord } from '../../../electron/core/recording/turns';
import { turnEvents, type TurnSpec } from './fixtures';

const turn = (s: Partial<TurnSpec> = {}): TurnRecord => summarizeTurns(turnEvents({ turnId: 't', input: 'hi', tokens: ['- one\n', '- two\n'], ...s }))[0]!;
const byCheck = (r: ReturnType<typeof compareTurn>) => Object.fromEntries(r.map((c) => [c.check, c]));

describe('default replay checks', () => {
  it('all pass for an identical run', () => {
    const r = compareTurn(turn(), turn({ firstMs: 5 }));
    expect(r.map((c) => c.check)).toEqual(['text', 'leak', 'status', 'sync', 'usage', 'ttft']);
    expect(r.every((c) => c.ok)).toBe(true);
  });

  it('a different answer fails the text check with a diff; similarity can allow it', () => {
    const rec = turn();
    const got = turn({ tokens: ['- one\n', '- 2\n'] });
    const text = byCheck(compareTurn(rec, got)).text!;
    expect(text.ok).toBe(false);
    expect(text.got).toMatch(/^different \(similarity 0\.\d{3}, 12 → 10 chars\)$/);
    expect(text.diff).toContain('-- two\n+- 2');
    expect(byCheck(compareTurn(rec, got, { similarity: 0.7 })).text!.ok).toBe(true);
    expect(byCheck(compareTurn(rec, got, { similarity: 0.99 })).text!.ok).toBe(false);
  });

  it('leak, status, sync, usage and TTFT each fail on their own', () => {
    const c = byCheck(compareTurn(turn(), turn({ leak: true, sync: 'failed', usage: { prompt: 5, completion: 40 }, firstMs: 5000 })));
    expect(c.leak).toMatchObject({ ok: false, got: '1 leak event(s), first at filtered offset 3' });
    expect(c.sync).toMatchObject({ ok: false, got: 'gateway-variables failed (server_error)' });
    expect(c.usage).toMatchObject({ ok: false, expected: 'total tokens 7 (reported) ± 10 %', got: '45 (+38)' });
    expect(c.ttft).toMatchObject({ ok: false, expected: 'TTFT ≤ 100 + 2000 ms', got: '5000 ms' });
    const partial = byCheck(compareTurn(turn(), turn({ status: 'partial', sync: null })));
    expect(partial.status).toMatchObject({ ok: false, got: 'partial (network)' });
    expect(partial.sync).toMatchObject({ ok: false, got: 'no sync happened' });
    // A recording that ended partial may end partial again.
    expect(byCheck(compareTurn(turn({ status: 'partial' }), turn({ status: 'partial' }))).status!.ok).toBe(true);
    expect(byCheck(compareTurn(turn(), turn({ firstMs: 2099 }))).ttft!.ok).toBe(true);
    // Without sync (replay --no-sync) there is no sync check at all.
    expect(compareTurn(turn(), turn({ sync: null }), { checkSync: false }).map((c) => c.check)).not.toContain('sync');
  });
});

describe('assertion sidecar', () => {
  const file = parseAssertionFile({
    all: { notContains: ['ERROR'], maxTotalTokens: 100, noPii: ['CREDIT_CARD'] },
    turns: { '1': { contains: ['two'], regex: ['^- one', { pattern: 'TWO', flags: 'i' }], maxTtftMs: 50 } },
  });

  it('evaluates all-turn and per-turn checks', () => {
    const ok = evaluateAssertions(assertionsFor(file, 0), turn({ firstMs: 10 }));
    expect(ok.map((c) => c.check)).toEqual(['assert.notContains', 'assert.maxTotalTokens', 'assert.noPii', 'assert.contains', 'assert.regex', 'assert.regex', 'assert.maxTtftMs']);
    expect(ok.every((c) => c.ok)).toBe(true);
    // turn 2 only gets the "all" checks
    expect(assertionsFor(file, 1)).toHaveLength(1);
    const bad = evaluateAssertions(assertionsFor(file, 0), turn({
      tokens: ['ERROR 4111 1111 1111 1111'],
      filtered: ['ERROR [CREDIT_CARD]'],
      hits: [{ type: 'CREDIT_CARD', action: 'mask', rawStart: 6, rawEnd: 25, outStart: 6, outEnd: 19 }],
      firstMs: 80,
    }));
    const failed = Object.fromEntries(bad.filter((c) => !c.ok).map((c) => [c.check, c.got]));
    expect(failed).toMatchObject({
      'assert.notContains': 'found at 0',
      'assert.noPii': '1 × CREDIT_CARD (mask at 6–25)',
      'assert.contains': 'not found',
      'assert.maxTtftMs': '80 ms',
    });
  });

  it('rejects bad files with the path of the bad field', () => {
    expect(() => parseAssertionFile({ all: { contain: ['x'] } }, 'a.assert.json')).toThrow(AssertionFileError);
    expect(() => parseAssertionFile({ all: { contain: ['x'] } }, 'a.assert.json')).toThrow(/^a\.assert\.json: all: .*contain/);
    expect(() => parseAssertionFile({ turns: { '0': {} } }, 'f')).toThrow(/^f: turns\.0: turn keys are 1-based/);
    expect(() => parseAssertionFile({ turns: { '2': { maxTtftMs: -1 } } }, 'f')).toThrow(/^f: turns\.2\.maxTtftMs: /);
    expect(() => parseAssertionFile({ all: { regex: ['(unclosed'] } }, 'f')).toThrow(/^f: all\.regex\.0: invalid regular expression/);
    expect(() => parseAssertionFile({ all: { regex: [{ pattern: 'x', flags: 'q' }] } }, 'f')).toThrow(/flags may only use/);
  });
});
