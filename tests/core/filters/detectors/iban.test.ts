import { describe, expect, it } from 'vitest';
import { detect } from '../helpers';
import { IBAN_LENGTHS } from '../../../../electron/core/filters/detectors/iban';
import { mod97Valid } from '../../../../electron/core/filters/checksums';

describe('IBAN_CODE', () => {
  it.each([
    'DE89370400440532013000',
    'DE89 3704 0044 0532 0130 00',
    'GB82WEST12345698765432',
    'gb82west12345698765432',
    'FR1420041010050500013M02606',
    'NL91ABNA0417164300',
    'CH9300762011623852957',
    'BE68 5390 0754 7034',
    'NO9386011117947',
  ])('finds %s', (value) => {
    expect(detect(`IBAN: ${value}.`)).toEqual([['IBAN_CODE', value]]);
  });

  it.each([
    ['DE89370400440532013001', 'fails mod-97'],
    ['DE8937040044053201300', 'one character short for DE'],
    ['DE893704004405320130000', 'one character long for DE'],
    ['XX89370400440532013000', 'unknown country'],
    ['DE89 37040044 0532 0130 00', 'groups not of four'],
    ['DE89  3704 0044 0532 0130 00', 'double space'],
    ['xDE89370400440532013000', 'glued to a word'],
  ])('leaves %s alone (%s)', (value) => {
    expect(detect(`ref ${value} x`).filter(([t]) => t === 'IBAN_CODE')).toEqual([]);
  });

  it('knows the registered lengths (spot checks)', () => {
    expect(IBAN_LENGTHS.DE).toBe(22);
    expect(IBAN_LENGTHS.NO).toBe(15);
    expect(IBAN_LENGTHS.MT).toBe(31);
    expect(IBAN_LENGTHS.RU).toBe(33);
  });

  it('mod-97 accepts valid and rejects changed check digits', () => {
    expect(mod97Valid('GB82WEST12345698765432', true)).toBe(true);
    expect(mod97Valid('GB83WEST12345698765432', true)).toBe(false);
  });
});
