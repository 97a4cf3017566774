import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameParser, type FrameIssue, type ParsedToken } from '../../../../electron/core/upstreams/gateway/frame-parser';

function collect() {
  const tokens: ParsedToken[] = [];
  const issues: FrameIssue[] = [];
  const errors: Array<{ message: string; code?: string; retryAfterMs?: number }> = [];
  const done: Array<unknown> = [];
  const parser = createFrameParser({
    onToken: (t) => tokens.push(t),
    onIssue: (i) => issues.push(i),
    onError: (e) => errors.push(e),
    onDone: (u) => done.push(u),
  });
  return { parser, tokens, issues, errors, done };
}

describe('gateway frame parser', () => {
  it('parses tokens, done and usage; ignores unknown fields', () => {
    const c = collect();
    c.parser.feed(JSON.stringify({ tokens: ['Hel', 'lo'], done: false, seq: 0, model: 'x', extra: { a: 1 } }), false);
    c.parser.feed(JSON.stringify({ tokens: [' world'], done: true, seq: 1, usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } }), false);
    expect(c.tokens.map((t) => t.text).join('')).toBe('Hello world');
    expect(c.tokens.map((t) => t.frame)).toEqual([0, 0, 1]);
    expect(c.done).toEqual([{ prompt: 12, completion: 3, total: 15 }]);
    expect(c.issues).toEqual([]);
    expect(c.parser.done).toBe(true);
  });

  it('keeps a lone high surrogate ending a token as is (reassembly joins it)', () => {
    const c = collect();
    c.parser.feed('{"tokens":["a\\ud83d"],"seq":0}', false);
    c.parser.feed('{"tokens":["\\ude00b"],"seq":1,"done":true}', false);
    expect(c.tokens.map((t) => t.text)).toEqual(['a\ud83d', '\ude00b']);
  });

  it('drops a duplicate seq, reports gaps with the missing range', () => {
    const c = collect();
    c.parser.feed('{"tokens":["a"],"seq":0}', false);
    c.parser.feed('{"tokens":["a"],"seq":0}', false);
    c.parser.feed('{"tokens":["d"],"seq":3}', false);
    expect(c.tokens.map((t) => t.text)).toEqual(['a', 'd']);
    expect(c.issues.map((i) => i.kind)).toEqual(['duplicate-seq', 'seq-gap']);
    expect(c.issues[1]).toMatchObject({ seq: 3, expectedSeq: 1 });
    expect(c.issues[1]!.detail).toMatch(/seq 1–2 are missing/);
  });

  it('reports malformed frames and goes on', () => {
    const c = collect();
    c.parser.feed('{"tokens":["cut', false);
    c.parser.feed('[1,2]', false);
    c.parser.feed('{"tokens":"notarray"}', false);
    c.parser.feed('{"tokens":["ok"],"done":true}', false);
    expect(c.issues.map((i) => i.kind)).toEqual(['malformed-frame', 'malformed-frame', 'malformed-frame']);
    expect(c.tokens.map((t) => t.text)).toEqual(['ok']);
    expect(c.done).toHaveLength(1);
  });

  it('error frames carry code and retry_after in ms', () => {
    const c = collect();
    c.parser.feed('{"error":"rate limit exceeded","code":"rate_limited","retry_after":2}', false);
    expect(c.errors).toEqual([{ message: 'rate limit exceeded', code: 'rate_limited', retryAfterMs: 2000 }]);
  });

  it('binary frames pass raw bytes through, counted as frames', () => {
    const c = collect();
    const bytes = new TextEncoder().encode('é€😀');
    c.parser.feed(bytes.slice(0, 1), true);
    c.parser.feed(bytes.slice(1, 6), true);
    c.parser.feed(bytes.slice(6), true);
    c.parser.feed('{"done":true}', false);
    expect(c.tokens.every((t) => t.kind === 'binary')).toBe(true);
    const joined = new Uint8Array(c.tokens.flatMap((t) => [...t.bytes!]));
    expect(new TextDecoder().decode(joined)).toBe('é€😀');
    expect(c.tokens.map((t) => t.frame)).toEqual([0, 1, 2]);
  });

  // Property: any sequence of frames (valid, duplicated, reordered, garbage) never throws, and every token
  // of a frame whose seq was not seen before comes out, in order; every other frame is reported.
  it('property: no crash, nothing lost, duplicates dropped', () => {
    const tokenArb = fc.string({ unit: 'binary', maxLength: 6 });
    const frameArb = fc.oneof(
      fc.record({ kind: fc.constant('data' as const), tokens: fc.array(tokenArb, { maxLength: 4 }), seq: fc.option(fc.nat(12), { nil: undefined }) }),
      fc.record({ kind: fc.constant('garbage' as const), text: fc.string({ maxLength: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 30 }), (frames) => {
        const c = collect();
        const seen = new Set<number>();
        const expected: string[] = [];
        let reported = 0;
        for (const f of frames) {
          if (f.kind === 'garbage') {
            let isObj = false;
            try {
              const v = JSON.parse(f.text) as unknown;
              isObj = !!v && typeof v === 'object' && !Array.isArray(v);
            } catch {
              /* garbage */
            }
            if (isObj) continue; // a valid JSON object without known fields is a (harmless) frame
            c.parser.feed(f.text, false);
            reported++;
            continue;
          }
          c.parser.feed(JSON.stringify({ tokens: f.tokens, ...(f.seq !== undefined ? { seq: f.seq } : {}) }), false);
          if (f.seq !== undefined && seen.has(f.seq)) continue;
          if (f.seq !== undefined) seen.add(f.seq);
          expected.push(...f.tokens);
        }
        expect(c.tokens.map((t) => t.text)).toEqual(expected);
        expect(c.issues.filter((i) => i.kind === 'malformed-frame')).toHaveLength(reported);
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });
});
