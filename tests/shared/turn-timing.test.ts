// Timing figures as both the app and the CLI show them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeStalls, timingOf } from '../../shared/turn-timing';

describe('timingOf', () => {
  it('the silence that ends in the liveness timeout is a stall with its length, and the longest gap', () => {
    const t = timingOf({ at: [100, 120, 140], end: { ttftMs: 100, durationMs: 30_140, cause: 'timeout' } }, 1000);
    expect(t.stalls).toEqual([{ index: 3, gap: 30_000, final: true }]);
    expect(t.max).toBe(30_000);
    expect(t.series.at(-1)).toEqual([3, 30_000]);
    expect(describeStalls(t.stalls)).toBe('1 stall (longest 30.0 s; the last 30.0 s of silence ended in the timeout)');
  });

  it('tokens/s counts wall time: the whole turn, stalls included', () => {
    const t = timingOf({ at: [100, 120, 140], end: { ttftMs: 100, durationMs: 30_140, cause: 'timeout' } }, 1000);
    expect(t.tokensPerSec).toBeCloseTo(3 / 30.14, 5);
    const fast = timingOf({ at: [10, 20, 30, 40], end: { ttftMs: 10, durationMs: 50 } }, 1000);
    expect(fast.tokensPerSec).toBeCloseTo(80, 5);
    expect(fast.stalls).toEqual([]);
    expect(describeStalls(fast.stalls)).toBe('no stalls');
  });

  it('a turn that timed out before any token: the whole wait is the stall', () => {
    const t = timingOf({ at: [], end: { durationMs: 5000, cause: 'timeout' } }, 1000);
    expect(t.stalls).toEqual([{ index: 0, gap: 5000, final: true }]);
    expect(t.tokensPerSec).toBeUndefined();
  });

  it('p50, p95 and max are the nearest-rank percentiles of the sorted gaps, for any arrival times (selection, not a sort)', () => {
    const rank = (n: number, p: number) => Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), fc.boolean(), (steps, timeout) => {
        const at: number[] = [];
        // Few distinct gaps: duplicates are where a partition goes wrong.
        steps.reduce((x, s) => (at.push(x + s), x + s), 0);
        const end = timeout ? { durationMs: (at.at(-1) ?? 0) + 7, cause: 'timeout' as const } : undefined;
        const gaps = at.slice(1).map((x, i) => x - at[i]!);
        if (timeout) gaps.push(7);
        const sorted = [...gaps].sort((a, b) => a - b);
        const t = timingOf({ at, end }, 1000);
        expect(t.max).toBe(sorted.at(-1));
        expect(t.p50).toBe(sorted.length ? sorted[rank(sorted.length, 50)] : undefined);
        expect(t.p95).toBe(sorted.length ? sorted[rank(sorted.length, 95)] : undefined);
        expect(t.series.reduce((m, [, v]) => Math.max(m, v), 0)).toBe(sorted.at(-1) ?? 0);
      }),
      { numRuns: 500 },
    );
  });
});
