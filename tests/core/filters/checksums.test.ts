import { describe, expect, it } from 'vitest';
import { luhnValid, mod97Valid } from '../../../electron/core/filters/checksums';

describe('checksums', () => {
  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('0')).toBe(false);
  });

  it('mod-97 (ISO 7064), plain and IBAN-rotated', () => {
    expect(mod97Valid('DE89 3704 0044 0532 0130 00', true)).toBe(true);
    expect(mod97Valid('de89370400440532013000', true)).toBe(true);
    expect(mod97Valid('DE88370400440532013000', true)).toBe(false);
    // 97 * 12345 + 1 = 1197466
    expect(mod97Valid('1197466', false)).toBe(true);
    expect(mod97Valid('1197467', false)).toBe(false);
  });
});
