// The dialog script format: plain and JSON lines, per-turn scenario and assertions; every problem named
// by line and field, all at once for the editor; and what the editor saves reads back the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Assertion } from '../../shared/assertions';
import { formatDialogScript, parseDialogScript, ScriptError, validateDialogScript } from '../../shared/dialog-script';

describe('dialog script', () => {
  it('reads plain lines, JSON turns with scenario and assertions; skips blanks and comments', () => {
    const text = '\uFEFF# greeting first\nHello!\n\n{"input": "card please", "scenario": "pii", "assert": [{"kind": "noHit", "type": "CREDIT_CARD", "actions": ["off"]}]}\r\n  indented stays as typed\n';
    expect(parseDialogScript(text)).toEqual([
      { input: 'Hello!', line: 2 },
      { input: 'card please', scenario: 'pii', assert: [{ kind: 'noHit', type: 'CREDIT_CARD', actions: ['off'] }], line: 4 },
      { input: '  indented stays as typed', line: 5 },
    ]);
  });

  it('names the file, line and field of every problem at once', () => {
    const text = [
      'fine',
      '{"input": "a", "assert": [{"kind": "ttft", "max": "soon"}]}',
      '{"input": "", "scenario": "nope"}',
      '{"input": "b", "scenario": "no-such"}',
      '{"input": "c" "scenario": "pii"}',
      '{"input": "d", "asserts": []}',
    ].join('\n');
    const r = validateDialogScript(text);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      { line: 2, path: 'assert[0].max', message: 'expected number, got string' },
      { line: 3, path: 'input', message: 'must not be empty' },
      { line: 4, path: 'scenario', message: expect.stringMatching(/^unknown scenario "no-such" \(one of happy, pii, /) as string },
      { line: 5, path: '(line)', message: 'invalid JSON at column 15 (a line starting with "{" must be a JSON turn {"input": "...", "scenario": "...", "assert": [...]})' },
      { line: 6, path: 'asserts', message: 'unknown field' },
    ]);
    let err: unknown;
    try {
      parseDialogScript(text, 'qa/dialog.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScriptError);
    expect((err as Error).message.split('\n')[0]).toBe('qa/dialog.txt: line 2: assert[0].max: expected number, got string');
    expect((err as Error).message.split('\n')[3]).toMatch(/^qa\/dialog\.txt: line 5: invalid JSON at column 15 /);
  });

  it('an empty script says what a script is', () => {
    expect(() => parseDialogScript('# only a comment\n\n', 's.txt')).toThrow('s.txt: line 1: no user input (one per line, or {"input": "..."} JSON lines)');
  });

  it('a value is never quoted back in an error', () => {
    const r = validateDialogScript('{"input": "x", "assert": [{"kind": "notContains", "text": 4111111111111111}]}\n{"input": "4111111111111111", "scenario": 4111111111111111}');
    expect(JSON.stringify(r)).not.toContain('4111');
  });

  it('what the editor saves reads back as the same turns (any input text)', () => {
    const turn = fc.record(
      {
        input: fc.string({ minLength: 1, unit: fc.constantFrom('a', ' ', '#', '{', '"', '\\', '\n', '\r', 'é', '😀') }),
        scenario: fc.constantFrom('happy', 'pii', 'rich-content'),
        assert: fc.constantFrom<Assertion[][]>([{ kind: 'ttft', max: 100 }], [{ kind: 'structured', present: true, summary: 'quick replies' }]),
      },
      { requiredKeys: ['input'] },
    );
    fc.assert(
      fc.property(fc.array(turn, { minLength: 1, maxLength: 6 }), (turns) => {
        const back = parseDialogScript(formatDialogScript(turns));
        expect(back.map(({ line: _line, ...t }) => t)).toEqual(turns);
      }),
      { seed: 1401, numRuns: 300 },
    );
  });
});
