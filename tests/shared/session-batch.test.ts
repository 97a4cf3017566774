// A token and the raw text it released travel as one event: nothing may be lost or reordered, a raw text with
// a fact of its own is never folded, and the window ends in the same state as with the engine's events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RawTextEvent, SessionEvent } from '../../shared/events';
import { pushChannels } from '../../shared/ipc';
import { checkSessionEvents } from '../../shared/session-events-check';
import { pairTokens, unpairTokens } from '../../shared/session-batch';
import { applyEvents, EMPTY_TURNS, type TurnData } from '../../renderer/src/store/turn-model';

/** A turn's events as reassembly emits them, with the awkward cases mixed in: binary tokens, split characters, separators, empty tokens, another turn. */
const step = fc.record({
  text: fc.string({ maxLength: 5 }),
  binary: fc.boolean(),
  fact: fc.constantFrom<Partial<RawTextEvent> | undefined>(undefined, undefined, undefined, { joined: 'surrogate', joinedFrom: 0 }, { separator: true }, { byteStart: 0, byteEnd: 3 }),
  /** The raw text differs from the token (a half character held back, then completed). */
  differs: fc.boolean(),
  laterAt: fc.boolean(),
  other: fc.boolean(),
});
function turnEvents(steps: Array<{ text: string; binary: boolean; fact: Partial<RawTextEvent> | undefined; differs: boolean; laterAt: boolean; other: boolean }>): SessionEvent[] {
  const begin = (turnId: string): SessionEvent => ({ type: 'turn.start', turnId, at: 0, sessionId: 's', requestId: 'r', upstream: 'gateway', environment: 'demo', input: 'x', startedAt: '2026-01-01T00:00:00.000Z' });
  const out: SessionEvent[] = [begin('t'), begin('u')];
  const raw: Record<string, number> = { t: 0, u: 0 };
  const index: Record<string, number> = { t: 0, u: 0 };
  for (const s of steps) {
    const turnId = s.other ? 'u' : 't';
    const i = index[turnId]!++;
    const at = i * 3;
    out.push(s.binary ? { type: 'token', turnId, at, index: i, bytes: 'YWJj', origin: { frame: i, kind: 'binary' } } : { type: 'token', turnId, at, index: i, text: s.text, origin: { frame: i, kind: 'text', seq: i } });
    const text = s.binary ? 'abc' : s.differs ? `${s.text}x` : s.text;
    if (!text) continue; // an empty token releases nothing
    out.push({ type: 'raw.text', turnId, at: s.laterAt ? at + 1 : at, start: raw[turnId]!, text, token: i, ...s.fact });
    raw[turnId]! += text.length;
    if (i % 4 === 3) out.push({ type: 'filtered.text', turnId, at, start: 0, text: '', hits: [], holdback: 0, holdbackReason: [] });
  }
  return out;
}

const visible = (t: TurnData) => ({ ...t, raw: t.raw.lines.join('\n'), filtered: t.filtered.lines.join('\n') });

describe('token and raw text paired on the way to the window', () => {
  it('unpairs into exactly the events the engine emitted, in order, and the window ends in the same state', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const events = turnEvents(steps);
        const paired = pairTokens(events);
        expect(unpairTokens(paired)).toEqual(events);
        // Nothing is lost (above), and every exact repeat was folded: a raw text left on its own has a fact, another time or other text.
        paired.forEach((e, i) => {
          const p = paired[i - 1];
          if (e.type !== 'raw.text' || p?.type !== 'token') return;
          const repeat = p.bytes === undefined && p.text === e.text && p.at === e.at && p.turnId === e.turnId && p.index === e.token && !e.joined && !e.separator && e.byteStart === undefined;
          expect(repeat).toBe(false);
        });
        // What the window builds from either form is the same.
        const a = applyEvents(EMPTY_TURNS, events).turns;
        const b = applyEvents(EMPTY_TURNS, paired).turns;
        expect(b.order).toEqual(a.order);
        for (const id of a.order) expect(visible(b.byId[id]!)).toEqual(visible(a.byId[id]!));
        // And the paired form passes the contract's check as zod decides it.
        const payload = { sessionId: 's', batch: 0, events: paired };
        expect(checkSessionEvents(pushChannels['main:session.events'], payload)).toStrictEqual(pushChannels['main:session.events'].safeParse(payload));
      }),
      { numRuns: 500 },
    );
  });

  it('halves the events of a plain text stream, and never changes the events it was given', () => {
    const events = turnEvents(['Hel', 'lo', ' wo', 'rld'].map((text) => ({ text, binary: false, fact: undefined, differs: false, laterAt: false, other: false })));
    const copy = structuredClone(events);
    const paired = pairTokens(events);
    expect(paired.map((e) => e.type)).toEqual(['turn.start', 'turn.start', 'token+raw', 'token+raw', 'token+raw', 'token+raw', 'filtered.text']);
    expect(paired[3]).toEqual({ type: 'token+raw', turnId: 't', at: 3, index: 1, text: 'lo', origin: { frame: 1, kind: 'text', seq: 1 }, rawStart: 3 });
    expect(events).toEqual(copy);
    // The window's check takes a pair as it came (the compiled fast path, no copy by zod).
    const checked = checkSessionEvents(pushChannels['main:session.events'], { sessionId: 's', batch: 0, events: paired });
    expect(checked.success && checked.data.events[3]).toBe(paired[3]);
  });
});
