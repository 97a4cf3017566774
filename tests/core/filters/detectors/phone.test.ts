import { describe, expect, it } from 'vitest';
import { detect } from '../helpers';

describe('PHONE_NUMBER', () => {
  it.each([
    ['Call +1 (415) 555-2671 now', '+1 (415) 555-2671'],
    ['Reach me on +44 20 7946 0958?', '+44 20 7946 0958'],
    ['Desk: +41 (0)44 668 18 00', '+41 (0)44 668 18 00'],
    ['dial 0044 20 7946 0958', '0044 20 7946 0958'],
    ['The number (212) 555-0187 works.', '(212) 555-0187'],
    ['or 212-555-0187.', '212-555-0187'],
    ['call me at 030 1234567 tomorrow', '030 1234567'],
    ['Phone:\n0490 75 40 81\n', '0490 75 40 81'],
    ['Mobile: 06.12.34.56.78', '06.12.34.56.78'],
    ['416 60 039 office', '416 60 039'],
    ['(02) 9374 4000-Fax', '(02) 9374 4000'],
    ['Support: 212-555-0187 x204.', '212-555-0187 x204'],
    ['Support: 212-555-0187 ext. 12', '212-555-0187 ext. 12'],
    ['my number is 0176 12345678', '0176 12345678'],
    ["They're not answering at 78 651 450", '78 651 450'],
    ['It is 555-123-4567.', '555-123-4567'],
    ['UK 020 7946 0958', '020 7946 0958'],
  ])('%s', (text, value) => {
    expect(detect(text)).toEqual([['PHONE_NUMBER', value]]);
  });

  it('a merely possible number counts in phone context (privacy first)', () => {
    // 555 0100 111: no region says it is valid, but "messages to" says it is a phone number.
    expect(detect('send messages to 555 0100 111')).toEqual([['PHONE_NUMBER', '555 0100 111']]);
  });

  it.each([
    'Call us about order 12345678.',
    'Invoice 2024-0042-17 is due.',
    'Meeting 2024-01-15 10:30-11:45.',
    'ISBN 978-3-16-148410-0',
    'zip 94103-1234',
    'on 15.01.2024',
    'The build 20240115 took 1234567 ms',
    'price 1 234 567 EUR',
    'ticket 555-1234',
    'card number 630427373398',
    'IBAN DE89 3704 0044 0532 0130 01',
    'Digits 0 1 2 3 4 5 6 7 8 9',
    'id 123-456-7890',
    '{"message":"foo 0","sequence":0,"time":1531914656076}',
    'update `call-bind` [`6603851`](https://example.com)',
    'fix the error message ([7855319](https://example.com))',
    'Rural Telephone Service Co., 499 U.S. 340 (1991)',
    'Mozilla/5.0 UCBrowser/13.8.2.1324 Mobile Safari',
  ])('leaves a look-alike alone: %s', (text) => {
    expect(detect(text).filter(([t]) => t === 'PHONE_NUMBER')).toEqual([]);
  });
});
