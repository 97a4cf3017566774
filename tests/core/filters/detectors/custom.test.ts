import { describe, expect, it } from 'vitest';
import { compilePolicy, type Policy } from '../../../../electron/core/filters';
import { detect, splitAt, stream } from '../helpers';

const policy = (custom: NonNullable<Policy['custom']>): Policy => ({ version: 1, custom });

describe('custom detectors', () => {
  it('a regex with a maximum length', () => {
    const p = policy([{ name: 'ORDER_ID', pattern: 'ORD-\\d{8}', flags: 'i', maxLength: 12 }]);
    expect(detect('ship ord-12345678 and ORD-1234567 today', p)).toEqual([['ORDER_ID', 'ord-12345678']]);
  });

  it('a match longer than maxLength is not a detection', () => {
    const p = policy([{ name: 'CODE', pattern: 'C-\\d+', maxLength: 6 }]);
    expect(detect('C-1234 and C-12345', p)).toEqual([['CODE', 'C-1234']]);
  });

  it('validators: luhn, mod97, dictionary', () => {
    const p = policy([
      { name: 'ACCOUNT', pattern: '\\bACC\\d{8}\\b', validator: 'luhn', maxLength: 11 },
      { name: 'REF', pattern: 'RF\\d{2}[A-Z0-9]{1,21}', validator: 'mod97', maxLength: 25 },
      { name: 'PROJECT', pattern: '\\b[a-z]+\\b', validator: { dictionary: ['apollo', 'gemini'] }, maxLength: 10 },
    ]);
    // ACC + 8 digits: 12345674 is Luhn-valid, 12345678 is not.
    expect(detect('ACC12345674 ACC12345678 RF18539007547034 RF18539007547035 apollo zeus gemini', p)).toEqual([
      ['ACCOUNT', 'ACC12345674'],
      ['REF', 'RF18539007547034'],
      ['PROJECT', 'apollo'],
      ['PROJECT', 'gemini'],
    ]);
  });

  it('custom names get their own actions', () => {
    const cp = compilePolicy({ version: 1, custom: [{ name: 'TICKET', pattern: 'T#\\d{4}', maxLength: 6, action: 'partial' }], actions: { TICKET: 'hash' } });
    expect(cp.actions.TICKET).toBe('hash');
    const cp2 = compilePolicy({ version: 1, custom: [{ name: 'TICKET', pattern: 'T#\\d{4}', maxLength: 6, action: 'partial' }] });
    expect(cp2.actions.TICKET).toBe('partial');
  });

  it('streams: holds back only while the text could still become a match', () => {
    const cp = compilePolicy(policy([{ name: 'ORDER_ID', pattern: 'ORD-\\d{8}', maxLength: 12 }]));
    const r = stream(cp, ['Order ', 'OR', 'D-1234', '5678 ok']);
    expect(r.output).toBe('Order [ORDER_ID] ok');
    // "Order " is released at once: "Order" cannot become "ORD-…" (case-sensitive) and is no e-mail.
    expect(r.chunks[0]!.text).toBe('Order ');
    expect(r.chunks[1]!.holdback).toBe(2);
    expect(r.chunks[2]!.holdback).toBe('ORD-1234'.length);
  });

  it('streams identically for every split of a custom match', () => {
    const cp = compilePolicy(policy([{ name: 'ORDER_ID', pattern: '(?<=#)ORD-\\d{8}\\b', maxLength: 12 }]));
    const text = 'see #ORD-12345678, not ORD-12345678 or #ORD-123456789';
    const whole = stream(cp, [text]);
    expect(whole.hits.map((h) => text.slice(h.start, h.end))).toEqual(['ORD-12345678']);
    for (let a = 0; a < text.length; a++) {
      expect(stream(cp, splitAt(text, [a, a + 3])).output).toBe(whole.output);
    }
  });
});
