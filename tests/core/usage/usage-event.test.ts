import { describe, expect, it } from 'vitest';
import { encodeChat as encodeChat4o } from 'gpt-tokenizer/model/gpt-4o';
import { encodeChat as encodeChat4 } from 'gpt-tokenizer/model/gpt-4';
import { UsageEvent } from '../../../shared/events';
import { estimateUsage } from '../../../electron/core/usage/estimate';
import { makeUsageEvent, parseReportedUsage, usageDrift } from '../../../electron/core/usage/usage-event';
import { createUsageTotals } from '../../../electron/core/usage/session-totals';

const prompt = 'What is the capital of France? Answer in one sentence, please.';
const completion = 'The capital of France is **Paris**.\n\n```js\nconst city = "Paris";\n```';

describe('estimateUsage', () => {
  it('prompt = the chat framing of one user message, as gpt-tokenizer encodes a chat (both encodings)', () => {
    const o = estimateUsage({ model: 'gpt-4o', prompt, completion });
    expect(o.encoding).toBe('o200k_base');
    expect(o.usage.prompt).toBe(encodeChat4o([{ role: 'user', content: prompt }]).length);
    const c = estimateUsage({ model: 'gpt-4', prompt, completion });
    expect(c.encoding).toBe('cl100k_base');
    expect(c.usage.prompt).toBe(encodeChat4([{ role: 'user', content: prompt }]).length);
  });

  it('completion = the answer tokens exactly; total = sum; not a length/4 guess', () => {
    const { usage } = estimateUsage({ model: 'gpt-4o-mini', prompt: '', completion: '' });
    expect(usage).toEqual({ prompt: 7, completion: 0, total: 7 });
    const long = 'antidisestablishmentarianism '.repeat(20);
    const est = estimateUsage({ model: 'gpt-4o', prompt: 'x', completion: long }).usage;
    expect(est.completion).not.toBe(Math.round(long.length / 4));
    expect(est.total).toBe(est.prompt + est.completion);
  });
});

describe('makeUsageEvent', () => {
  const base = { turnId: 't1', at: 42, model: 'gpt-4o', prompt, completion };

  it('without a report: estimated, source estimated, no drift; valid event', () => {
    const ev = makeUsageEvent(base);
    expect(ev).toMatchObject({ type: 'usage', turnId: 't1', at: 42, encoding: 'o200k_base', source: 'estimated', driftFlagged: false });
    expect(ev.reported).toBeUndefined();
    expect(ev.drift).toBeUndefined();
    expect(UsageEvent.parse(ev)).toEqual(ev);
  });

  it('keeps the report and the estimate; source reported; drift within 10% not flagged', () => {
    const est = estimateUsage(base).usage;
    const reported = { prompt: est.prompt + 1, completion: est.completion, total: est.total + 1 };
    const ev = makeUsageEvent({ ...base, reported });
    expect(ev.reported).toEqual(reported);
    expect(ev.estimated).toEqual(est);
    expect(ev.source).toBe('reported');
    expect(ev.drift).toBeCloseTo(1 / reported.total, 10);
    expect(ev.driftFlagged).toBe(false);
    expect(UsageEvent.parse(ev)).toEqual(ev);
  });

  it('flags drift over 10% in either direction, not at exactly 10%', () => {
    const est = estimateUsage(base).usage.total;
    const at = (total: number) => makeUsageEvent({ ...base, reported: { prompt: total, completion: 0, total } });
    expect(at(est * 2).driftFlagged).toBe(true); // upstream added a system prompt we cannot see
    expect(at(Math.floor(est * 0.8)).driftFlagged).toBe(true);
    expect(usageDrift({ prompt: 0, completion: 0, total: 100 }, { prompt: 0, completion: 0, total: 110 })).toBeCloseTo(0.1);
    expect(usageDrift({ prompt: 0, completion: 0, total: 100 }, { prompt: 0, completion: 0, total: 111 })).toBeGreaterThan(0.1);
  });

  it('a large prompt-token drift is flagged like any other, even when the total agrees', () => {
    const est = estimateUsage(base).usage;
    // The upstream counted 10 more prompt tokens and 10 fewer completion tokens: same total.
    const ev = makeUsageEvent({ ...base, reported: { prompt: est.prompt + 10, completion: est.completion - 10, total: est.total } });
    expect(ev.drift).toBe(0);
    expect(ev.driftByPart!.prompt).toBeGreaterThan(0.1);
    expect(ev.driftFlagged).toBe(true);
  });

  it('a report of zero tokens is flagged with a finite drift', () => {
    const ev = makeUsageEvent({ ...base, reported: { prompt: 0, completion: 0, total: 0 } });
    expect(Number.isFinite(ev.drift)).toBe(true);
    expect(ev.driftFlagged).toBe(true);
    expect(JSON.parse(JSON.stringify(ev))).toEqual(ev);
  });

  it('a malformed report is a clear error naming the field', () => {
    expect(() => makeUsageEvent({ ...base, reported: { prompt: -1, completion: 2, total: 1 } })).toThrow(/turn t1.*prompt/s);
  });
});

describe('parseReportedUsage', () => {
  it('maps the gateway usage object; computes a missing total; absent → undefined', () => {
    expect(parseReportedUsage({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 })).toEqual({ prompt: 12, completion: 3, total: 15 });
    expect(parseReportedUsage({ prompt_tokens: 12, completion_tokens: 3 })).toEqual({ prompt: 12, completion: 3, total: 15 });
    expect(parseReportedUsage(undefined)).toBeUndefined();
    expect(parseReportedUsage(null)).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(() => parseReportedUsage({ prompt_tokens: '12', completion_tokens: 3 })).toThrow(/prompt_tokens/);
    expect(() => parseReportedUsage(7)).toThrow(/usage is not a token count object/);
  });
});

describe('createUsageTotals', () => {
  it('sums reported, estimated and counted separately per session', () => {
    const totals = createUsageTotals();
    expect(totals.totals()).toEqual({
      reported: null, estimated: { prompt: 0, completion: 0, total: 0 }, counted: { prompt: 0, completion: 0, total: 0 },
      turns: 0, reportedTurns: 0, driftFlaggedTurns: 0,
    });
    const a = makeUsageEvent({ turnId: 'a', at: 1, model: 'gpt-4o', prompt: 'hi', completion: 'hello there' });
    const b = makeUsageEvent({ turnId: 'b', at: 2, model: 'gpt-4o', prompt: 'x', completion: 'y', reported: { prompt: 100, completion: 20, total: 120 } });
    totals.add(a);
    totals.add(b);
    const t = totals.totals();
    expect(t.turns).toBe(2);
    expect(t.reportedTurns).toBe(1);
    expect(t.driftFlaggedTurns).toBe(1);
    expect(t.reported).toEqual({ prompt: 100, completion: 20, total: 120 });
    expect(t.estimated.total).toBe(a.estimated.total + b.estimated.total);
    expect(t.counted).toEqual({
      prompt: a.estimated.prompt + 100,
      completion: a.estimated.completion + 20,
      total: a.estimated.total + 120,
    });
  });
  it('totals() returns copies', () => {
    const totals = createUsageTotals();
    totals.totals().estimated.total = 99;
    expect(totals.totals().estimated.total).toBe(0);
  });
});
