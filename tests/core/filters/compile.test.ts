import { describe, expect, it } from 'vitest';
import { compilePolicy, parsePolicy, PolicyError, BUILTIN_TYPES } from '../../../electron/core/filters';
import { detect } from './helpers';

function issues(json: unknown): string[] {
  try {
    compilePolicy(json as never);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a PolicyError');
}

describe('policy file: validation', () => {
  it('the default policy masks every type', () => {
    const cp = compilePolicy();
    for (const t of BUILTIN_TYPES) expect(cp.actions[t]).toBe('mask');
  });

  it('accepts the documented shape', () => {
    const p = parsePolicy({
      version: 1,
      actions: { CREDIT_CARD: 'partial', EMAIL_ADDRESS: 'hash', PROFANITY: 'off', ORDER_ID: 'block' },
      allow: { values: ['4111111111111111'], domains: ['example.com'], patterns: ['^TEST-'] },
      custom: [{ name: 'ORDER_ID', pattern: 'ORD-\\d{8}', flags: 'i', validator: 'luhn', maxLength: 12, action: 'mask' }],
    });
    expect(compilePolicy(p).actions).toMatchObject({ CREDIT_CARD: 'partial', EMAIL_ADDRESS: 'hash', PROFANITY: 'off', ORDER_ID: 'block' });
  });

  it.each([
    [{ version: 2 }, 'version: must be 1'],
    [[], '(root): expected object'],
    [{ version: 1, actions: { FOO: 'mask' } }, 'actions.FOO: unknown type'],
    [{ version: 1, actions: { CREDIT_CARD: 'shred' } }, 'actions.CREDIT_CARD: must be one of mask, partial, hash, block, off'],
    [{ version: 1, extra: true }, 'extra: unknown field'],
    [{ version: 1, custom: [{ name: 'X', pattern: 'ORD-(', maxLength: 5 }] }, 'custom[0].pattern: invalid regular expression: Unterminated group'],
    [{ version: 1, custom: [{ name: 'X', pattern: 'a*', maxLength: 5 }] }, 'custom[0].pattern: must not match the empty string'],
    [{ version: 1, custom: [{ name: 'X', pattern: 'a' }] }, 'custom[0].maxLength: required'],
    [{ version: 1, custom: [{ name: 'X', pattern: 'a', maxLength: 5000 }] }, 'custom[0].maxLength: must be at most 1000'],
    [{ version: 1, custom: [{ name: 'X', pattern: 'a', maxLength: 5, flags: 'g' }] }, 'custom[0].flags: unsupported or repeated flag "g"'],
    [{ version: 1, custom: [{ name: 'lower', pattern: 'a', maxLength: 5 }] }, 'custom[0].name: use 1-40 upper-case letters'],
    [{ version: 1, custom: [{ name: 'CREDIT_CARD', pattern: 'a', maxLength: 5 }] }, 'custom[0].name: clashes with the built-in type CREDIT_CARD'],
    [{ version: 1, custom: [{ name: 'X', pattern: 'a', maxLength: 5 }, { name: 'X', pattern: 'b', maxLength: 5 }] }, 'custom[1].name: duplicate name X'],
    [{ version: 1, custom: [{ name: 'X', pattern: 'a', maxLength: 5, validator: 'crc' }] }, 'custom[0].validator: must be "luhn", "mod97" or {"dictionary": [...]}'],
    [{ version: 1, allow: { patterns: ['[a-'] } }, 'allow.patterns[0]: invalid regular expression'],
    [{ version: 1, allow: { domains: ['not a domain'] } }, 'allow.domains[0]: must be a domain name like example.com'],
    [{ version: 1, profanity: { languages: ['xx'] } }, 'profanity.languages[0]: unknown or unsupported language'],
  ])('%j → %s', (json, expected) => {
    expect(issues(json).join('\n')).toContain(expected);
  });

  it('lists every issue at once', () => {
    expect(issues({ version: 1, actions: { FOO: 'mask', BAR: 'off' } })).toHaveLength(2);
  });

  it('errors never quote policy values back', () => {
    const secretish = '4111111111111111';
    const msgs = issues({ version: 1, allow: { values: [secretish], patterns: [`${secretish}(`] } }).join('\n');
    expect(msgs).not.toContain(secretish);
  });
});

describe('policy file: allow-list', () => {
  it('lets allowed values, domains and patterns through unmasked', () => {
    const p = {
      version: 1 as const,
      allow: { values: ['4111111111111111'], domains: ['example.com'], patterns: ['^TEST-'] },
      custom: [{ name: 'TICKET', pattern: '(?:TEST|PROD)-\\d{4}', maxLength: 9 }],
    };
    expect(detect('4111 1111 1111 1111 vs 5500 0000 0000 0004', p)).toEqual([['CREDIT_CARD', '5500 0000 0000 0004']]);
    expect(detect('jane@example.com, joe@mail.example.com, eve@evil.com', p)).toEqual([['EMAIL_ADDRESS', 'eve@evil.com']]);
    expect(detect('TEST-1234 PROD-1234', p)).toEqual([['TICKET', 'PROD-1234']]);
  });

  it('an allowed value is consumed whole: no shorter detector fires inside it', () => {
    const p = { version: 1 as const, allow: { values: ['+1 415 555 2671'] } };
    expect(detect('call +1 415 555 2671', p)).toEqual([]);
  });

  it('actions: off disables a type', () => {
    expect(detect('fuck', { version: 1, actions: { PROFANITY: 'off' } })).toEqual([]);
  });
});

describe('priority between detectors that match at the same place', () => {
  const twoOwn = (first: string, second: string) =>
    compilePolicy({
      version: 1,
      custom: [
        { name: first, pattern: '\\d{3}-\\d{2}-\\d{4}', maxLength: 11 },
        { name: second, pattern: '\\d{3}-\\d{2}-\\d{4}', maxLength: 11 },
      ],
    });

  it('on equal length the one listed first wins (the policy’s own before the built-in US_SSN)', () => {
    expect(detect('SSN 536-22-1234 ok', twoOwn('FIRST', 'SECOND'))).toEqual([['FIRST', '536-22-1234']]);
    expect(detect('SSN 536-22-1234 ok', twoOwn('SECOND', 'FIRST'))).toEqual([['SECOND', '536-22-1234']]);
    // The same once the scan has run long enough to be optimized before the first tie comes.
    const text = `${'plain words and 12345 numbers, '.repeat(3000)}SSN 536-22-1234 ok`;
    expect(detect(text, twoOwn('FIRST', 'SECOND'))).toEqual([['FIRST', '536-22-1234']]);
  });

  it('the longest match wins over priority', () => {
    const ownShorter = compilePolicy({ version: 1, custom: [{ name: 'PREFIX', pattern: '\\d{3}-\\d{2}', maxLength: 6 }] });
    expect(detect('SSN 536-22-1234 ok', ownShorter)).toEqual([['US_SSN', '536-22-1234']]);
    const ownLonger = compilePolicy({ version: 1, custom: [{ name: 'LONGER', pattern: '\\d{3}-\\d{2}-\\d{4}-x', maxLength: 13 }], actions: {} });
    expect(detect('SSN 536-22-1234-x ok', ownLonger)).toEqual([['LONGER', '536-22-1234-x']]);
  });
});
