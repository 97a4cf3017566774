import { describe, expect, it } from 'vitest';
import { detect } from '../helpers';

describe('EMAIL_ADDRESS', () => {
  it.each([
    'jane@example.com',
    'a.b@c.com',
    'first.last+tag@sub.example.co.uk',
    'john_smith@example.net',
    'x-1%y@mail.example.org',
    'jürgen.müller@beispiel.de',
    'UPPER@EXAMPLE.COM',
  ])('finds %s', (value) => {
    expect(detect(`mail ${value} now`)).toEqual([['EMAIL_ADDRESS', value]]);
  });

  it('leaves sentence punctuation out of the address', () => {
    expect(detect('Write to a.b@c.com. Thanks')).toEqual([['EMAIL_ADDRESS', 'a.b@c.com']]);
    expect(detect('Is it jane@example.org?')).toEqual([['EMAIL_ADDRESS', 'jane@example.org']]);
    expect(detect('(jane@example.org)')).toEqual([['EMAIL_ADDRESS', 'jane@example.org']]);
    expect(detect('<jane@example.org>, `x@example.io`')).toEqual([
      ['EMAIL_ADDRESS', 'jane@example.org'],
      ['EMAIL_ADDRESS', 'x@example.io'],
    ]);
  });

  it.each(['x@y', '@handle', 'user@localhost', 'a@b.c', 'name at example dot com', 'foo@.com', 'a.@b.com', 'foo@bar..com'])(
    'leaves %s alone',
    (value) => {
      expect(detect(`see ${value} here`)).toEqual([]);
    },
  );

  it('mailto links and markdown keep their syntax', () => {
    expect(detect('[mail](mailto:jane@example.com)')).toEqual([['EMAIL_ADDRESS', 'jane@example.com']]);
  });
});
