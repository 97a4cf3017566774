// Plans built from recorded turns (the wire behaviour over both protocols is in cassette-mock-upstream.test.ts).
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { cassetteAnswerSource, planFromTurn } from '../../../electron/core/recording/cassette-answer-source';
import type { Cassette } from '../../../electron/core/recording/cassette-schema';
import { summarizeTurns } from '../../../electron/core/recording/turns';
import { HEADER_INPUT, turnEvents } from './fixtures';

const header = { format: 'cognigy-stream-debugger.cassette' as const, version: 1 as const, createdAt: 'x', toolVersion: '0', redacted: false, ...HEADER_INPUT };
const cassette = (events: SessionEvent[]): Cassette => ({ header, events });
const req = (input: string, attempt = 1) => ({ input, scenario: 'happy' as const, attempt });

describe('cassette answer source', () => {
  it('turns recorded frames into plan steps with the recorded gaps and the reported usage', () => {
    const t = summarizeTurns(turnEvents({ turnId: 't', input: 'hi', tokens: ['Hel', 'lo', ' wor', 'ld'], firstMs: 300, gapMs: 40 }))[0]!;
    const plan = planFromTurn(t);
    expect(plan.answer).toBe('Hello world');
    expect(plan.steps).toEqual([
      { kind: 'tokens', tokens: ['Hel', 'lo'], seq: 0, delayMs: 300 },
      { kind: 'tokens', tokens: [' wor', 'ld'], seq: 1, delayMs: 80 },
      { kind: 'done', tokens: [], seq: 2, usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 }, delayMs: 80 },
      { kind: 'close', code: 1000, reason: '', delayMs: 0 },
    ]);
  });

  it('replays failures: a dropped socket terminates, an upstream error closes 1011', () => {
    const drop = summarizeTurns(turnEvents({ turnId: 't', input: 'x', tokens: ['a'], status: 'partial', cause: 'network' }))[0]!;
    expect(planFromTurn(drop).steps.at(-1)).toMatchObject({ kind: 'terminate' });
    const err = turnEvents({ turnId: 't', input: 'x', tokens: ['a'], status: 'partial', cause: 'server_error' }).map((e) =>
      e.type === 'error' ? { ...e, closeCode: 1011, message: 'internal server error' } : e,
    );
    expect(planFromTurn(summarizeTurns(err)[0]!).steps.slice(-2)).toEqual([
      { kind: 'error', error: 'internal server error', code: 'internal', delayMs: 10 },
      { kind: 'close', code: 1011, reason: 'internal error', delayMs: 0 },
    ]);
  });

  it('a rate-limited first attempt is served again as an error to the first attempt only', () => {
    const events = turnEvents({ turnId: 't', input: 'x', tokens: ['ok'], firstMs: 1200 });
    events.splice(1, 0, { type: 'error', turnId: 't', at: 100, cause: 'rate_limited', message: 'rate limit exceeded', closeCode: 1013, retryAfterMs: 1000, fallback: 'f', retry: { attempt: 1, of: 3, inMs: 1000 } });
    const source = cassetteAnswerSource(cassette(events));
    expect(source.plan(req('x', 1)).steps).toEqual([
      { kind: 'error', error: 'rate limit exceeded', code: 'rate_limited', retryAfter: 1, delayMs: 100 },
      { kind: 'close', code: 1013, reason: 'try again later', delayMs: 0 },
    ]);
    expect(source.plan(req('x', 2)).steps[0]).toMatchObject({ kind: 'tokens', tokens: ['ok'], delayMs: 1100 });
  });

  it('matches by input, cycles through repeats, scales delays, and names an unknown input', () => {
    const events = [
      ...turnEvents({ turnId: 'a', input: 'same', tokens: ['first'] }),
      ...turnEvents({ turnId: 'b', input: 'other', tokens: ['middle'] }),
      ...turnEvents({ turnId: 'c', input: 'same', tokens: ['second'] }),
    ];
    const s = cassetteAnswerSource(cassette(events), { speed: 2 });
    expect(s.plan(req('same')).answer).toBe('first');
    expect(s.plan(req('same')).answer).toBe('second');
    expect(s.plan(req('same')).answer).toBe('first');
    expect(s.plan(req('other')).steps[0]?.delayMs).toBe(50);
    const unknown = s.plan(req('nope'));
    expect(unknown.steps[0]).toMatchObject({ kind: 'error', code: 'internal' });
    expect((unknown.steps[0] as { error: string }).error).toMatch(/no recorded answer for input "nope"; the cassette answers: "same", "other"/);
    const seq = cassetteAnswerSource(cassette(events), { match: 'sequence', speed: 0 });
    expect([seq.plan(req('x')).answer, seq.plan(req('y')).answer, seq.plan(req('z')).answer, seq.plan(req('w')).answer]).toEqual(['first', 'middle', 'second', 'first']);
    expect(seq.plan(req('x')).steps.every((st) => st.delayMs === 0)).toBe(true);
  });

  it('a redacted cassette serves the filtered text cut at the recorded token sizes', () => {
    const events = turnEvents({ turnId: 't', input: 'x', tokens: ['Card ', '4111 1111 1111 1111', '.'], filtered: ['Card ', '[CREDIT_CARD]', '.'] })
      .filter((e) => e.type !== 'raw.text')
      .map((e) => (e.type === 'token' ? { ...e, text: undefined, textLength: e.text?.length } : e));
    const plan = cassetteAnswerSource(cassette(events)).plan(req('x'));
    const text = plan.steps.flatMap((s) => (s.kind === 'tokens' ? s.tokens : [])).join('');
    expect(text).toBe('Card [CREDIT_CARD].');
    expect(plan.answer).toBe('Card [CREDIT_CARD].');
  });
});
