// How a batch of session events travels to the window (`main:session.events`). Nearly every text token is
// followed by the raw text it released, which repeats its turn, time and text: at 20,000 tokens/s those two
// events per token were most of what main serialises and the window parses and checks. In a batch they
// travel as one `token+raw` event, which says everything both said (the raw text's `start`; its text, token
// and time are the token's). Only the exact repeat is paired: a raw text with a fact of its own (joined from
// a split character, a byte range, a separator) or any other difference stays its own event, and order is
// never changed. `unpairTokens` gives back the events as the engine emitted them (property-tested in
// tests/shared/session-batch.test.ts); the window applies a pair directly (renderer/src/store/turn-model.ts).
import { z } from 'zod';
import { SessionEvent, TokenEvent, type RawTextEvent } from './events';

export const TokenRawEvent = TokenEvent.extend({
  type: z.literal('token+raw'),
  /** Where the raw text the token released starts (its text is the token's `text`). */
  rawStart: z.number().int().nonnegative(),
});
export type TokenRawEvent = z.infer<typeof TokenRawEvent>;

export const BatchEvent = z.discriminatedUnion('type', [...SessionEvent.options, TokenRawEvent]);
export type BatchEvent = SessionEvent | TokenRawEvent;

/** The raw text `r` says nothing beyond what token `t` and a start say. */
function repeats(t: Extract<SessionEvent, { type: 'token' }>, r: RawTextEvent): boolean {
  return (
    t.text !== undefined &&
    t.bytes === undefined &&
    r.turnId === t.turnId &&
    r.at === t.at &&
    r.token === t.index &&
    r.text === t.text &&
    r.joined === undefined &&
    r.joinedFrom === undefined &&
    r.byteStart === undefined &&
    r.byteEnd === undefined &&
    r.separator === undefined
  );
}

/** The batch with each token that is directly followed by the exact repeat of its raw text paired with it. */
export function pairTokens(events: readonly SessionEvent[]): BatchEvent[] {
  const out: BatchEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const next = events[i + 1];
    if (e.type === 'token' && next?.type === 'raw.text' && repeats(e, next)) {
      // A new object: the events are shared with the engine's other listeners.
      out.push({ ...e, type: 'token+raw', rawStart: next.start });
      i++;
    } else out.push(e);
  }
  return out;
}

/** The raw text a pair stands for. */
function rawOfPair(e: TokenRawEvent): RawTextEvent {
  return { type: 'raw.text', turnId: e.turnId, at: e.at, start: e.rawStart, text: e.text ?? '', token: e.index };
}

/** The events as the engine emitted them. */
export function unpairTokens(events: readonly BatchEvent[]): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (const e of events) {
    if (e.type !== 'token+raw') {
      out.push(e);
      continue;
    }
    const { rawStart: _start, ...token } = e;
    out.push({ ...token, type: 'token' }, rawOfPair(e));
  }
  return out;
}
