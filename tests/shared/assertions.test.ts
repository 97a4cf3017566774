// The assertion format's validator, as the app's editor calls it on every keystroke and the CLI on every
// sidecar: a valid document passes whole; anything else is refused with the JSON path of every problem.
import { describe, expect, it } from 'vitest';
import { ASSERTION_FAMILIES, validateAssertions, type AssertionKind } from '../../shared/assertions';

const paths = (text: string) => {
  const r = validateAssertions(text);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('validateAssertions', () => {
  it('accepts one assertion of every kind, for all turns and per turn', () => {
    const all = [
      { kind: 'contains', text: 'streaming', on: 'raw' },
      { kind: 'notContains', text: 'error', ignoreCase: true },
      { kind: 'regex', pattern: '^- ', flags: 'm' },
      { kind: 'similarity', min: 0.8 },
      { kind: 'noHit', type: 'CREDIT_CARD', actions: ['off'] },
      { kind: 'noLeak' },
      { kind: 'noWebchatWarning', warning: 'closing-text-dropped' },
      { kind: 'ttft', max: 2000 },
      { kind: 'maxGap', max: 500 },
      { kind: 'tokensPerSecond', min: 5 },
      { kind: 'messages', min: 1, max: 1 },
      { kind: 'chunks', max: 400 },
      { kind: 'structured', present: true, type: 'rich-content', summary: 'quick replies' },
      { kind: 'status', is: ['complete', 'damaged'] },
      { kind: 'synced' },
      { kind: 'usage', source: 'estimated', part: 'completion', min: 1, max: 900 },
    ];
    const r = validateAssertions(JSON.stringify({ $schema: 'x', all, turns: [{}, { input: 'second', assert: [{ kind: 'status' }] }] }));
    expect(r).toMatchObject({ ok: true, errors: [] });
    // Every kind the families name is in the document above, and every kind in it is in a family.
    const family: AssertionKind[] = Object.values(ASSERTION_FAMILIES).flat();
    expect(new Set(family)).toEqual(new Set(all.map((a) => a.kind)));
  });

  it('names the JSON path of every problem: wrong type, unknown kind, unknown field, missing field, bad range, bad regex', () => {
    const doc = {
      all: [{ kind: 'ttft', max: 'fast' }, { kind: 'tffb', max: 1 }],
      turns: [{}, { assert: [{ kind: 'chunks', min: 5, max: 2 }, { kind: 'contains', txt: 'x' }, { kind: 'regex', pattern: '(open' }, { kind: 'messages' }] }],
    };
    expect(paths(JSON.stringify(doc))).toEqual([
      'all[0].max: expected number, got string',
      "all[1].kind: Invalid discriminator value. Expected 'contains' | 'notContains' | 'regex' | 'similarity' | 'noHit' | 'noLeak' | 'noWebchatWarning' | 'ttft' | 'maxGap' | 'tokensPerSecond' | 'messages' | 'chunks' | 'structured' | 'status' | 'synced' | 'usage'",
      'turns[1].assert[0].min: min 5 is above max 2',
      'turns[1].assert[1].text: required',
      'turns[1].assert[1].txt: unknown field',
      'turns[1].assert[2].pattern: invalid regular expression: Unterminated group',
      'turns[1].assert[3].max: give min, max or both',
    ]);
  });

  it('the earlier object form and a keyed turns map are refused with what to write instead', () => {
    expect(paths('{"all": {"contains": ["x"]}}')).toEqual(['all: expected a list of assertions, e.g. [{"kind": "contains", "text": "…"}]']);
    expect(paths('{"turns": {"2": {"contains": ["x"]}}}')).toEqual([
      'turns: expected a list with one entry per turn in dialog order, e.g. [{}, {"assert": [{"kind": "ttft", "max": 2000}]}]',
    ]);
    expect(paths('{"al": []}')).toEqual(['al: unknown field']);
  });

  it('a JSON syntax error says the line and column, never the text around it', () => {
    const r = validateAssertions('{\n  "all": [\n    {"kind": "ttft" "max": 1}\n  ]\n}');
    expect(r.ok).toBe(false);
    const e = r.ok ? undefined : r.errors[0];
    expect(e).toMatchObject({ path: '(root)', line: 3, column: 21 });
    expect(e?.message).toBe('invalid JSON at line 3, column 21');
  });

  it('values are never echoed back (a sidecar may hold a real card number in a notContains)', () => {
    const r = validateAssertions(JSON.stringify({ all: [{ kind: 'notContains', text: 4111111111111111 }] }));
    expect(JSON.stringify(r)).not.toContain('4111111111111111');
    expect(paths(JSON.stringify({ all: [{ kind: 'notContains', text: 4111111111111111 }] }))).toEqual(['all[0].text: expected string, got number']);
  });
});
