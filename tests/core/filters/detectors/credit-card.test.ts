import { describe, expect, it } from 'vitest';
import { defaultPolicy, detect, splitAt, stream } from '../helpers';

const cp = defaultPolicy();

describe('CREDIT_CARD', () => {
  it.each([
    ['4111111111111111', 'Visa, plain'],
    ['4111 1111 1111 1111', 'grouped by spaces'],
    ['5500-0000-0000-0004', 'grouped by dashes'],
    ['3782 822463 10005', 'Amex 4-6-5'],
    ['30569309025904', 'Diners, 14 digits'],
    ['4222222222222', '13 digits'],
    ['6011 0009 9013 9424', 'Discover'],
  ])('finds %s (%s)', (value) => {
    expect(detect(`pay with ${value}.`)).toEqual([['CREDIT_CARD', value]]);
  });

  it('finds a 19-digit Luhn-valid number', () => {
    // 19 digits, Luhn-valid (computed): 4000 0000 0000 0000 006
    expect(detect('card 4000000000000000006 ok')).toEqual([['CREDIT_CARD', '4000000000000000006']]);
  });

  it('takes the card out of a longer grouped run (card then year)', () => {
    expect(detect('4111 1111 1111 1111 2027')).toEqual([['CREDIT_CARD', '4111 1111 1111 1111']]);
  });

  it.each([
    ['4111 1111 1111 1112', 'fails Luhn'],
    ['1234567890123', 'order number, fails Luhn'],
    ['41111111111111111111', '20 digits'],
    ['411111111111', '12 digits'],
    ['4111-1111 1111-1111', 'mixed separators'],
    ['4111  1111  1111  1111', 'double spaces'],
    ['7111111111111114', 'Luhn-valid but not a payment-card industry digit (7)'],
    ['3.141592653589793', 'decimal digits'],
    ['x4111111111111111', 'glued to a word'],
    ['4111111111111111abc', 'followed by letters'],
    ['1,234,567.89', 'amount'],
    ['2024-01-15T12:20:39Z', 'timestamp'],
  ])('leaves %s alone (%s)', (value) => {
    expect(detect(`ref ${value} here`).filter(([t]) => t === 'CREDIT_CARD')).toEqual([]);
  });

  it('does not start inside a decimal or thousands group', () => {
    expect(detect('value 0.4111111111111111 and 1,4111111111111111')).toEqual([]);
  });

  it('finds cards in markdown, JSON and after punctuation', () => {
    expect(detect('**4111 1111 1111 1111** `5500000000000004` {"c":"4012888888881881"}').map(([, v]) => v)).toEqual([
      '4111 1111 1111 1111',
      '5500000000000004',
      '4012888888881881',
    ]);
  });

  // DE89 3704 0044 0532 0131 00 fails mod-97 (so it is no IBAN), and its middle 3704 0044 0532 0131 is
  // Luhn-valid: a reference shaped like an IBAN is not a card, whatever its digits add up to.
  const REF = 'DE89 3704 0044 0532 0131 00';

  it('leaves the Luhn-valid middle of an IBAN-shaped reference that fails mod-97 alone', () => {
    expect(detect(`Reference: ${REF}, thanks.`)).toEqual([]);
    expect(detect(`ref ${REF.toLowerCase()}`)).toEqual([]);
  });

  it('still finds a card that only follows such a reference, and keeps the reference whole when streamed', () => {
    expect(detect(`${REF} card 4111 1111 1111 1111`)).toEqual([['CREDIT_CARD', '4111 1111 1111 1111']]);
    const text = `Pay to ${REF} today.`;
    for (let cut = 1; cut < text.length; cut++) {
      expect(stream(cp, splitAt(text, [cut])).output, `cut at ${cut}`).toBe(text);
    }
  });
});

