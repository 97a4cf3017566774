import { describe, expect, it } from 'vitest';
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
