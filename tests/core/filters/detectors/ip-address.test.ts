import { describe, expect, it } from 'vitest';
import { detect } from '../helpers';
import { validIpv6 } from '../../../../electron/core/filters/detectors/ip-address';

describe('IP_ADDRESS', () => {
  it.each(['10.0.0.1', '192.168.1.254', '8.8.8.8', '255.255.255.255', '0.0.0.0'])('finds IPv4 %s', (value) => {
    expect(detect(`host ${value} is up`)).toEqual([['IP_ADDRESS', value]]);
  });

  it.each([
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    '2001:db8::8a2e:370:7334',
    'fe80::1ff:fe23:4567:890a',
    '::1',
    '::ffff:192.0.2.128',
    '6e40:4041:c617:e898:c11:40d2:c669:2eb4',
  ])('finds IPv6 %s', (value) => {
    expect(detect(`addr ${value} ok`)).toEqual([['IP_ADDRESS', value]]);
  });

  it('keeps ports, CIDR suffixes and sentence ends outside', () => {
    expect(detect('connect 203.0.113.7:8080 or 10.1.2.3/24.')).toEqual([
      ['IP_ADDRESS', '203.0.113.7'],
      ['IP_ADDRESS', '10.1.2.3'],
    ]);
    expect(detect('try fe80::1.')).toEqual([['IP_ADDRESS', 'fe80::1']]);
  });

  it.each([
    ['256.1.1.1', 'octet > 255'],
    ['1.2.3', 'three parts (a version)'],
    ['1.2.3.4.5', 'five parts'],
    ['01.02.03.04', 'leading zeros'],
    ['12:20:39', 'a time'],
    ['00:1A:2B:3C:4D:5E', 'a MAC address'],
    ['std::vector', 'C++'],
    ['1:2:3:4:5:6:7:8:9', 'nine groups'],
    ['2001:db8::1::2', 'two ::'],
    ['3.14', 'a number'],
    ['zlib@1.2.13.1-motley', 'a package version'],
    ['1.2.3.4-beta', 'a pre-release version'],
    ['section-8.1.2.2', 'numbering glued to a word'],
  ])('leaves %s alone (%s)', (value) => {
    expect(detect(`x ${value} y`).filter(([t]) => t === 'IP_ADDRESS')).toEqual([]);
  });

  it('an address range keeps both ends', () => {
    expect(detect('range 10.0.0.1-10.0.0.5 ok')).toEqual([
      ['IP_ADDRESS', '10.0.0.1'],
      ['IP_ADDRESS', '10.0.0.5'],
    ]);
  });

  it('a version string is not an address', () => {
    expect(detect('version 1.2.3.4 and build 10.0.0.1')).toEqual([]);
  });

  it('validIpv6 forms', () => {
    expect(validIpv6('::')).toBe(false);
    expect(validIpv6('1::')).toBe(false);
    expect(validIpv6('1:2::')).toBe(true);
    expect(validIpv6('1:2:3:4:5:6:7::')).toBe(true);
    expect(validIpv6('1:2:3:4:5:6:7:8::')).toBe(false);
  });
});
