// Issue 11 §1: the policy's own patterns (custom detectors, allow.patterns) come from users and meet the
// model's output; a pattern that backtracks exponentially on V8 must not hang the engine. They run on a
// linear-time engine (RE2 semantics), or are refused at load naming the JSON path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePolicy, filterText, PolicyError, type Policy } from '../../../electron/core/filters';
import { detect, SALT, splitAt, stream } from './helpers';

const REDOS_INPUT = `${'a'.repeat(40)}!`;

function issues(json: Policy): string[] {
  try {
    compilePolicy(json);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return (err as PolicyError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a PolicyError');
}

describe('user patterns run in linear time', () => {
  it('a catastrophic custom pattern on the model output returns within a second', () => {
    const cp = compilePolicy({ version: 1, custom: [{ name: 'EVIL', pattern: '(a+)+$', maxLength: 50 }] });
    const t0 = performance.now();
    const whole = filterText(cp, REDOS_INPUT, { hashSalt: SALT });
    const streamed = stream(cp, REDOS_INPUT.split(''));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    // The window of a scan ends at the text's end, so "$" matches there: the a's before the "!" are no match.
    expect(whole.hits).toEqual([]);
    expect(streamed.output).toBe(whole.output);
  });

  it('a catastrophic allow pattern returns within a second and still allows', () => {
    const cp = compilePolicy({
      version: 1,
      allow: { patterns: ['^(a+)+$', '^(?:a|a)+$'] },
      custom: [{ name: 'AS', pattern: 'a+!?', maxLength: 60 }],
    });
    const t0 = performance.now();
    const r = filterText(cp, `${REDOS_INPUT} and aaaa`, { hashSalt: SALT });
    expect(performance.now() - t0).toBeLessThan(1000);
    // "aaa…a!" is not allowed (the "!" breaks ^(a+)+$), "aaaa" is.
    expect(r.output).toBe('[AS] and aaaa');
  });

  it('refuses what a linear-time engine cannot run, naming the JSON path', () => {
    expect(issues({ version: 1, custom: [{ name: 'X', pattern: '\\d{3}(?=\\d)', maxLength: 5 }] }).join('\n')).toContain(
      'custom[0].pattern: lookahead ((?= or (?!) is not supported',
    );
    expect(issues({ version: 1, custom: [{ name: 'X', pattern: 'b', maxLength: 5 }, { name: 'Y', pattern: '(a)\\1', maxLength: 5 }] }).join('\n')).toContain(
      'custom[1].pattern: back-references',
    );
    expect(issues({ version: 1, custom: [{ name: 'X', pattern: '(?<n>a)\\k<n>', maxLength: 5 }] }).join('\n')).toContain('custom[0].pattern: back-references');
    expect(issues({ version: 1, allow: { patterns: ['^ok$', '(?!x)y'] } }).join('\n')).toContain('allow.patterns[1]: lookahead');
  });

  it('refusals never quote the pattern back', () => {
    const secretish = '4111111111111111';
    const msgs = issues({ version: 1, allow: { patterns: [`(?=${secretish})`] }, custom: [{ name: 'X', pattern: `${secretish}(?<=(1))`, maxLength: 20 }] }).join('\n');
    expect(msgs).not.toContain(secretish);
  });

  it('keeps the documented syntax: lookbehind, \\b, named groups, \\u{…}, flags i/s/m/u', () => {
    const p: Policy = {
      version: 1,
      custom: [
        { name: 'TAG', pattern: '(?<=#)\\w+\\b', maxLength: 10 },
        { name: 'KEY', pattern: '(?<k>KEY)-\\d{2}', flags: 'i', maxLength: 6 },
        { name: 'SMILE', pattern: '\\u{1F600}+', flags: 'u', maxLength: 6 },
        { name: 'SPAN', pattern: 'BEGIN.END', flags: 's', maxLength: 9 },
      ],
    };
    expect(detect('#tag key-12 😀😀 BEGIN\nEND no#', p)).toEqual([
      ['TAG', 'tag'],
      ['KEY', 'key-12'],
      ['SMILE', '😀😀'],
      ['SPAN', 'BEGIN\nEND'],
    ]);
  });

  it('property: streamed equals whole with linear-time patterns (emoji split across chunks included)', () => {
    const cp = compilePolicy({
      version: 1,
      allow: { patterns: ['^(a+)+$'] },
      custom: [
        { name: 'EVIL', pattern: '(a+)+b', maxLength: 12 },
        { name: 'SMILE', pattern: '😀x', maxLength: 3 },
        { name: 'TAG', pattern: '(?<=#)[a-z]+\\b', maxLength: 8, action: 'hash' },
      ],
    });
    const frag = fc.constantFrom('a', 'aa', 'b', '!', '#', 'x', '😀', '\ud83d', '\ude00', ' ', 'tag', 'é');
    fc.assert(
      fc.property(fc.array(frag, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 20 }), (xs, cuts) => {
        const text = xs.join('');
        const whole = filterText(cp, text, { hashSalt: SALT });
        const r = stream(cp, splitAt(text, cuts.map((c) => c % (text.length + 1))));
        expect(r.output).toBe(whole.output);
        expect(r.hits).toEqual(whole.hits);
      }),
      { seed: 1111, numRuns: 400 },
    );
  });
});
