import { describe, expect, it } from 'vitest';
import { applyEvents, EMPTY_TURNS, rawToFiltered, spanAt } from '../../../renderer/src/store/turn-model';
import { toString } from '../../../renderer/src/text/text-lines';
import { end, filtered, start, streamed, textToken } from '../events';

describe('turn model', () => {
  it('builds raw and filtered text, line starts, token columns and hits from events', () => {
    const hit = { type: 'CREDIT_CARD', action: 'mask' as const, rawStart: 6, rawEnd: 25, outStart: 6, outEnd: 19 };
    const r = applyEvents(EMPTY_TURNS, [
      start('t1', 'card?', 'pii'),
      ...textToken('t1', 0, 'Card: ', 0, 5, { seq: 0 }),
      ...textToken('t1', 1, '4111 1111 1111 1111', 6, 9, { seq: 1 }),
      ...textToken('t1', 2, '\nok', 25, 12, { seq: 2 }),
      filtered('t1', 0, 'Card: [CREDIT_CARD]', [hit], 3, ['EMAIL_ADDRESS']),
    ]);
    const t = r.turns.byId.t1!;
    expect(toString(t.raw)).toBe('Card: 4111 1111 1111 1111\nok');
    expect(t.raw.starts).toEqual([0, 26]);
    expect(toString(t.filtered)).toBe('Card: [CREDIT_CARD]');
    expect(t.tokens.seq).toEqual([0, 1, 2]);
    expect(t.tokens.bytes).toEqual([6, 19, 3]);
    expect(t.hits).toEqual([hit]);
    expect(t.holdback).toBe(3);
    expect(t.holdbackReason).toEqual(['EMAIL_ADDRESS']);
    expect(t.status).toBe('streaming');
    expect(spanAt(t, 7)).toBe(1);
    expect(rawToFiltered(t.hits, 25)).toBe(19);
    expect(rawToFiltered(t.hits, 10)).toBeUndefined();
    expect(rawToFiltered(t.hits, 3)).toBe(3);

    const r2 = applyEvents(r.turns, [end('t1', 'partial', 28, { cause: 'network' })]);
    const t2 = r2.turns.byId.t1!;
    expect(t2).not.toBe(t);
    expect(t2.version).toBe(t.version + 1);
    expect(t2).toMatchObject({ status: 'partial', cause: 'network', holdback: 0 });
    expect(toString(t2.raw)).toBe(toString(t.raw));
  });

  it('routes sync events out, keeps turns in arrival order, and keeps events of an unseen turn', () => {
    const r = applyEvents(EMPTY_TURNS, [
      ...streamed('a', 'one'),
      { type: 'sync', turnId: 'a', at: 1, syncId: 's1', target: 'gateway-variables', state: 'queued', attempt: 0 },
      ...textToken('b', 0, 'orphan', 0, 1),
    ]);
    expect(r.turns.order).toEqual(['a', 'b']);
    expect(r.sync).toHaveLength(1);
    expect(toString(r.turns.byId.b!.raw)).toBe('orphan');
    expect(r.changed.sort()).toEqual(['a', 'b']);
    expect(applyEvents(r.turns, []).turns).toBe(r.turns);
  });

  it('grows the hit and issue lists of a new version in a new array, once per batch, never the published one', () => {
    const hit = (n: number) => ({ type: 'EMAIL_ADDRESS', action: 'mask' as const, rawStart: n, rawEnd: n + 1, outStart: n, outEnd: n + 1 });
    const issue = (n: number) => ({ type: 'frame.issue' as const, turnId: 't1', at: n, kind: 'duplicate-seq' as const, detail: `dup ${n}` });
    const r1 = applyEvents(EMPTY_TURNS, [start('t1'), filtered('t1', 0, 'a', [hit(0)]), issue(1)]);
    const t1 = r1.turns.byId.t1!;
    const r2 = applyEvents(r1.turns, [filtered('t1', 1, 'b', [hit(1)]), issue(2), filtered('t1', 2, 'c', [hit(2), hit(3)]), issue(3)]);
    const t2 = r2.turns.byId.t1!;
    // What a view holds of the first version stays as it was; the new version's lists are new arrays.
    expect(t1.hits).toEqual([hit(0)]);
    expect(t1.issues.map((i) => i.detail)).toEqual(['dup 1']);
    expect(t2.hits).not.toBe(t1.hits);
    expect(t2.hits).toEqual([hit(0), hit(1), hit(2), hit(3)]);
    expect(t2.issues.map((i) => i.detail)).toEqual(['dup 1', 'dup 2', 'dup 3']);
    expect(t2.version).toBe(t1.version + 1);
  });
});
