import { describe, expect, it } from 'vitest';
import { detect } from '../helpers';
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
