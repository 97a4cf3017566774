import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_RETRY_AFTER_MS, parseHttpDate, parseRetryAfter } from '../../../electron/core/net/retry-after';

const NOW = Date.UTC(2025, 10, 25, 12, 0, 0); // Tue, 25 Nov 2025 12:00:00 GMT

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('0007', NOW)).toBe(7000);
  });

  it('reads an IMF-fixdate relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Tue, 25 Nov 2025 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Tue, 25 Nov 2025 11:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
  });

  it('reads the two obsolete date formats recipients must accept (RFC 9110 §5.6.7)', () => {
    expect(parseRetryAfter('Tuesday, 25-Nov-25 12:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Tue Nov 25 12:00:05 2025', NOW)).toBe(5000);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('reads a two-digit year more than 50 years ahead as the past century', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sunday, 06-Nov-74 08:49:37 GMT', NOW)).toBe(Date.UTC(2074, 10, 6, 8, 49, 37));
  });

  it('caps a hostile value at one hour, in both forms', () => {
    expect(parseRetryAfter('86400', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('9'.repeat(400), NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_RETRY_AFTER_MS).toBe(3_600_000);
  });

  it('accepts a number as seconds (the gateway frame field retry_after)', () => {
    expect(parseRetryAfter(1.5, NOW)).toBe(1500);
    expect(parseRetryAfter(-1, NOW)).toBeUndefined();
    expect(parseRetryAfter(Number.NaN, NOW)).toBeUndefined();
  });

  it('returns undefined for absent values and garbage instead of guessing', () => {
    const garbage = [
      null,
      undefined,
      '',
      '   ',
      '-1',
      '1.5',
      '2s',
      '+3',
      '1e3',
      'tomorrow',
      'soon',
      '2025-11-25T12:00:30Z', // ISO 8601 is not an HTTP-date
      'Tue, 25 Nov 2025 12:00:30', // no GMT
      'Tue, 25 Nov 2025 12:00:30 UTC',
      'Tue, 31 Feb 2025 12:00:30 GMT', // no such day
      'Tue, 25 Nov 2025 24:00:00 GMT',
      'Tue, 25 Nov 2025 12:60:00 GMT',
      'Xyz, 25 Nov 2025 12:00:30 GMT',
      'Tue, 25 Foo 2025 12:00:30 GMT',
      'tue, 25 nov 2025 12:00:30 gmt', // the grammar is case-sensitive
    ];
    for (const g of garbage) expect(parseRetryAfter(g, NOW), String(g)).toBeUndefined();
  });

  it('never throws and stays within [0, 1 h] for any string (seeded property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.integer({ min: 0, max: 4_102_444_800_000 }), (s, now) => {
        const ms = parseRetryAfter(s, now);
        return ms === undefined || (Number.isFinite(ms) && ms >= 0 && ms <= MAX_RETRY_AFTER_MS);
      }),
      { seed: 20251125, numRuns: 1000 },
    );
  });

  it('round-trips any IMF-fixdate Date#toUTCString produces (seeded property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 3600 }), (deltaSec) => {
        const header = new Date(NOW + deltaSec * 1000).toUTCString();
        return parseRetryAfter(header, NOW) === Math.min(deltaSec * 1000, MAX_RETRY_AFTER_MS);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
