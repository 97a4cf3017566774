import { describe, expect, it } from 'vitest';
import { defaultPolicy, detect, stream } from '../helpers';
import { validSsn } from '../../../../electron/core/filters/detectors/us-ssn';

describe('US_SSN', () => {
  it.each(['536-22-1234', '219 09 9999', '078-05-1120'])('finds %s', (value) => {
    expect(detect(`number ${value} on file`)).toEqual([['US_SSN', value]]);
  });

  it('finds nine plain digits only after an SSN word', () => {
    expect(detect('My SSN is 536221234')).toEqual([['US_SSN', '536221234']]);
    expect(detect('social security number: 536221234.')).toEqual([['US_SSN', '536221234']]);
    expect(detect('Shipment 536221234 arrives')).toEqual([]);
  });

  it('nine plain digits need the SSN word, the validity rules and a number boundary, in any order of arrival', () => {
    expect(detect('SSN 5362212345 on file')).toEqual([]);
    expect(detect('SSN 536221234x')).toEqual([]);
    expect(detect('SSN 536221234.5')).toEqual([]);
    expect(detect('SSN 000221234')).toEqual([]);
    expect(detect('order 536221234')).toEqual([]);
    const cp = defaultPolicy();
    for (const text of ['My SSN is 536221234 ok', 'My SSN is 5362212345 ok', 'order 536221234 ok', 'SSN 53622']) {
      // One unit per feed: the same answer as the whole text, whichever check decides first.
      const s = stream(cp, [...text]);
      expect(s.output).toBe(/SSN is 536221234 /.test(text) ? text.replace('536221234', '[US_SSN]') : text);
      expect(s.hits.map((h) => h.type)).toEqual(/SSN is 536221234 /.test(text) ? ['US_SSN'] : []);
    }
  });

  it.each([
    ['000-12-3456', 'area 000'],
    ['666-12-3456', 'area 666'],
    ['912-34-5678', 'area 9xx'],
    ['123-00-4567', 'group 00'],
    ['123-45-0000', 'serial 0000'],
    ['123-45-6789-0', 'continues'],
    ['123 45 6789 0123', 'continues'],
    ['123-45 6789', 'mixed separators'],
    ['1234-56-7890', 'wrong shape'],
  ])('leaves %s alone (%s)', (value) => {
    expect(detect(`id ${value} x`).filter(([t]) => t === 'US_SSN')).toEqual([]);
  });

  it('a list of SSNs is fine', () => {
    expect(detect('536-22-1234 219-09-9999').map(([, v]) => v)).toEqual(['536-22-1234', '219-09-9999']);
  });

  it('validSsn rules', () => {
    expect(validSsn('536221234')).toBe(true);
    expect(validSsn('000221234')).toBe(false);
    expect(validSsn('53622123')).toBe(false);
  });
});
