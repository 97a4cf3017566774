import fc from 'fast-check';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { encodeSse, sseComment, sseJson, sseRetry } from '../../../electron/core/relay/sse-encoder';

function parse(chunks: string[]): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const p = createParser({ onEvent: (e) => events.push(e) });
  for (const c of chunks) p.feed(c);
  return events;
}

describe('SSE encoder', () => {
  it('puts JSON on one data line; a token cannot break framing or forge an event', () => {
    const forged = 'a\n\ndata: {"text":"forged"}\n\nevent: done\r\nid: 999\r\r\u2028\u2029\u0085end';
    const wire = encodeSse({ id: 'x-1-1', event: 'token', data: { text: forged } });
    expect(wire.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(1);
    expect(wire).not.toMatch(/\r/);
    expect(wire).toContain('\\u2028\\u2029');
    const events = parse([wire]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: 'x-1-1', event: 'token' });
    expect(JSON.parse(events[0]!.data)).toEqual({ text: forged });
  });

  it('refuses line breaks in id and event names', () => {
    expect(() => encodeSse({ id: 'a\nb', data: 1 })).toThrow(/id must not contain/);
    expect(() => encodeSse({ event: 'x\r', data: 1 })).toThrow(/event must not contain/);
    expect(() => encodeSse({ id: 'a\u0000', data: 1 })).toThrow(/NUL/);
  });

  it('comments and retry', () => {
    expect(sseComment('heart\nbeat')).toBe(': heart beat\n\n');
    expect(sseRetry(3000)).toBe('retry: 3000\n\n');
    expect(() => sseRetry(-1)).toThrow();
    expect(sseJson('\u2028')).toBe('"\\u2028"');
  });

  it('any text, split anywhere on the wire, arrives intact (property, seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (texts, cuts) => {
        const wire = texts.map((t, i) => encodeSse({ id: `r-1-${i + 1}`, event: 'token', data: { text: t } })).join(sseComment('hb'));
        const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(wire.slice(prev, p));
          prev = p;
        }
        chunks.push(wire.slice(prev));
        const events = parse(chunks);
        // JSON.stringify turns lone surrogates into escapes, so even those survive exactly.
        expect(events.map((e) => JSON.parse(e.data).text)).toEqual(texts);
        expect(events.map((e) => e.id)).toEqual(texts.map((_, i) => `r-1-${i + 1}`));
      }),
      { seed: 7, numRuns: 150 },
    );
  });
});
