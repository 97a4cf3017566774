import { describe, expect, it } from 'vitest';
import { checkLeak, compilePolicy, createLeakCheck } from '../../../electron/core/filters';
import { LEAK_CHECK_BLOCK } from '../../../electron/core/filters/leak';
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

describe('leak alarm run as the answer grows (createLeakCheck)', () => {
  // A long answer: many blocks of the second pass, values straddling the block cuts.
  const long = Array.from({ length: 3 * Math.ceil(LEAK_CHECK_BLOCK / raw.length) }, (_, i) => `${i} ${raw} `).join('');
  /** Raw text in pieces of `size`, the released text in pieces of `releasedSize`, interleaved. */
  const check = (text: string, size: number, released: string, releasedSize = 3) => {
    const c = createLeakCheck(cp, { hashSalt: SALT });
    for (let i = 0, j = 0; i < text.length || j < released.length; i += size, j += releasedSize) {
      if (i < text.length) c.feed(text.slice(i, i + size));
      if (j < released.length) c.released(released.slice(j, j + releasedSize));
    }
    return c.end();
  };

  it('stays quiet when the stream released the whole-text result, whatever the piece size', () => {
    const released = stream(cp, [long]).output;
    for (const size of [1, 7, 4096, LEAK_CHECK_BLOCK + 3, long.length]) {
      expect(check(long, size, released)).toBeUndefined();
      expect(check(long, size, released, released.length)).toBeUndefined();
    }
  });

  it('fires at the same position as the whole-text check, naming where but not what', () => {
    const released = stream(cp, [long]).output;
    const at = released.lastIndexOf('[CREDIT_CARD]');
    const tampered = `${released.slice(0, at)}4111 1111 1111 1111${released.slice(at + '[CREDIT_CARD]'.length)}`;
    const leak = check(long, 5, tampered);
    expect(leak).toEqual(checkLeak(cp, long, tampered, { hashSalt: SALT }));
    expect(leak!.position).toBe(at);
    expect(leak!.detail).not.toContain('4111');
    for (const other of [released.slice(0, -1), `${released}!`, released.replace('mail', 'mall')]) {
      expect(check(long, 5, other)).toEqual(checkLeak(cp, long, other, { hashSalt: SALT }));
      expect(check(long, LEAK_CHECK_BLOCK, other, 1000)).toEqual(checkLeak(cp, long, other, { hashSalt: SALT }));
    }
    expect(check(long, 5, released.slice(0, -1))?.detail).toMatch(/stops at/);
  });
});
