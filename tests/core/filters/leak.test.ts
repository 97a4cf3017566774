import { describe, expect, it } from 'vitest';
import { checkLeak, compilePolicy } from '../../../electron/core/filters';
import { defaultPolicy, SALT, stream } from './helpers';

const cp = defaultPolicy();
const raw = 'Card 4111 1111 1111 1111, mail jane@example.com, call +1 415 555 2671.';

describe('leak alarm', () => {
  it('stays quiet when the stream released exactly the whole-text result', () => {
    const released = stream(cp, ['Card 4111 11', '11 1111 1111, mail ja', 'ne@example.com, call +1 415 ', '555 2671.']).output;
    expect(checkLeak(cp, raw, released, { hashSalt: SALT })).toBeUndefined();
  });

  it('fires when a value got through unmasked, naming where but not what', () => {
    const released = stream(cp, [raw]).output.replace('[CREDIT_CARD]', '4111 1111 1111 1111');
    const leak = checkLeak(cp, raw, released, { hashSalt: SALT });
    expect(leak).toEqual({ position: 5, detail: expect.stringContaining('offset 5') });
    expect(leak!.detail).not.toContain('4111');
  });

  it('fires when text is missing or extra', () => {
    const released = stream(cp, [raw]).output;
    expect(checkLeak(cp, raw, released.slice(0, -3))?.detail).toMatch(/stops at/);
    expect(checkLeak(cp, raw, `${released}!!`)?.position).toBe(released.length);
    expect(checkLeak(cp, raw, released.replace('mail', 'mall'))?.position).toBe(released.indexOf('mail') + 2);
  });

  it('compares with the same salt the stream used (hash pseudonyms)', () => {
    const hashing = compilePolicy({ version: 1, actions: { EMAIL_ADDRESS: 'hash' } });
    const released = stream(hashing, [raw], 'salt-a').output;
    expect(checkLeak(hashing, raw, released, { hashSalt: 'salt-a' })).toBeUndefined();
    expect(checkLeak(hashing, raw, released, { hashSalt: 'salt-b' })).toBeDefined();
  });
});
