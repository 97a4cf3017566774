import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffCeiling, backoffDelay } from '../../../electron/core/sync/backoff';
import { seededRandom } from './fixtures/seeded-random';

const opts = { baseDelayMs: 500, maxDelayMs: 30_000 };

describe('backoff (full jitter)', () => {
  it('the window doubles from the base and stops at maxDelay', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((r) => backoffCeiling(r, opts))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffCeiling(5000, opts)).toBe(30_000); // 2^5000 overflows to Infinity: still capped
  });

  it('delay = floor(random × window): 0 at random()=0, just under the window at random()→1', () => {
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...opts, random: () => 0.5 })).toBe(2000);
    expect(backoffDelay(3, { ...opts, random: () => 0.999999 })).toBe(3999);
    // A broken random source cannot push it past the window.
    expect(backoffDelay(3, { ...opts, random: () => 1 })).toBeLessThan(4000);
    expect(backoffDelay(3, { ...opts, random: () => 7 })).toBeLessThan(4000);
    expect(backoffDelay(3, { ...opts, random: () => Number.NaN })).toBe(0);
  });

  it('stays within [0, min(max, base·2^retry)) and is jittered across the window (seeded)', () => {
    const random = seededRandom(1234);
    for (let retry = 0; retry < 10; retry++) {
      const ceiling = backoffCeiling(retry, opts);
      const samples = Array.from({ length: 400 }, () => backoffDelay(retry, { ...opts, random }));
      for (const d of samples) {
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
      }
      // Full jitter spreads over the whole window, not a band near its top.
      expect(Math.min(...samples)).toBeLessThan(ceiling * 0.1);
      expect(Math.max(...samples)).toBeGreaterThan(ceiling * 0.9);
    }
  });

  it('is never less than Retry-After and adds nothing when Retry-After is larger (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
        (retry, r, retryAfterMs) => {
          const d = backoffDelay(retry, { ...opts, random: () => r }, retryAfterMs);
          const jitter = Math.floor(r * backoffCeiling(retry, opts));
          return d === Math.max(jitter, retryAfterMs ?? 0) && d >= (retryAfterMs ?? 0);
        },
      ),
      { seed: 99, numRuns: 1000 },
    );
  });
});
