import { describe, expect, it } from 'vitest';
import { compilePolicy, filterText } from '../../../electron/core/filters';
import { partial } from '../../../electron/core/filters/replacement';
import { SALT } from './helpers';

const run = (actions: Record<string, string>, text: string, salt = SALT) => filterText(compilePolicy({ version: 1, actions } as never), text, { hashSalt: salt });

describe('actions', () => {
  it('mask replaces the value with its type label', () => {
    expect(run({}, 'card 4111111111111111!').output).toBe('card [CREDIT_CARD]!');
  });

  it('partial keeps the last four letters/digits and the layout', () => {
    expect(run({ CREDIT_CARD: 'partial' }, 'card 4111111111111111').output).toBe('card ************1111');
    expect(run({ CREDIT_CARD: 'partial' }, 'card 4111 1111 1111 1111').output).toBe('card **** **** **** 1111');
    expect(run({ US_SSN: 'partial' }, 'ssn 536-22-1234').output).toBe('ssn ***-**-1234');
    expect(partial('shit')).toBe('****');
  });

  it('hash gives a stable pseudonym per salt, and never the value', () => {
    const a = run({ EMAIL_ADDRESS: 'hash' }, 'jane@example.com and JANE@example.com and joe@example.com');
    const pseudonyms = a.output.match(/\[EMAIL_ADDRESS:[0-9a-f]{8}\]/g)!;
    expect(pseudonyms).toHaveLength(3);
    expect(pseudonyms[0]).toBe(pseudonyms[1]); // the same address, case aside
    expect(pseudonyms[2]).not.toBe(pseudonyms[0]);
    expect(run({ EMAIL_ADDRESS: 'hash' }, 'jane@example.com').output).toBe(`${pseudonyms[0]}`);
    expect(run({ EMAIL_ADDRESS: 'hash' }, 'jane@example.com', 'other-salt').output).not.toBe(pseudonyms[0]);
    // Card numbers hash by their digits: the layout does not matter.
    const c = run({ CREDIT_CARD: 'hash' }, '4111 1111 1111 1111 / 4111-1111-1111-1111').output;
    const [x, y] = c.split(' / ');
    expect(x).toBe(y);
  });

  it('block stops the output before the value', () => {
    const r = run({ IBAN_CODE: 'block' }, 'Pay to GB82WEST12345698765432 by Friday, card 4111111111111111.');
    expect(r.output).toBe('Pay to ');
    expect(r.blocked).toEqual({ type: 'IBAN_CODE' });
    expect(r.hits).toEqual([{ type: 'IBAN_CODE', action: 'block', start: 7, end: 29, outStart: 7, outEnd: 7 }]);
  });

  it('hits carry raw and output positions, and nothing of the value', () => {
    const text = 'a 4111111111111111 b jane@example.com';
    const r = run({ EMAIL_ADDRESS: 'partial' }, text);
    expect(r.output).toBe('a [CREDIT_CARD] b ****@******e.com');
    for (const h of r.hits) {
      expect(JSON.stringify(h)).not.toMatch(/4111|jane/);
      expect(r.output.slice(h.outStart, h.outEnd)).not.toContain(text.slice(h.start, h.end));
    }
    expect(r.hits[0]).toEqual({ type: 'CREDIT_CARD', action: 'mask', start: 2, end: 18, outStart: 2, outEnd: 15 });
  });
});
