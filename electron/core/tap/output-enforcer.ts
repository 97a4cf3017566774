// `tap --enforce-policy`: what the frontend receives instead of Cognigy's outputs — the same outputs, in the
// same number and order, with each chunk's text replaced by what the streaming filter releases for it.
// One filter per streamed message (`_messageId`): Webchat shows every message on its own, so a value can
// never span two of them. An output without `_messageId` is a whole message, filtered at once.
// Shape rules, so that the guardrail never causes the loss it is meant to reveal:
// - text the filter held back at a message's end is released on the closing chunk only when Cognigy put
//   text on that chunk itself (its structure is kept as it was); when the closing chunk was empty, the held
//   text travels in one extra chunk of the same message just before it, because Webchat with collation
//   drops a closing chunk's text;
// - after a `block`, the message's remaining chunks still go out (their acks must come from the frontend)
//   but empty, and the content-filter fallback takes the place of the blocked text.
// Must never: drop or reorder an output, mutate what the upstream sent (observers see the original), or
// release text the filter has not released.
import { createFilter, type CompiledPolicy, type StreamFilter } from '../filters';

export interface EnforcerOptions {
  compiled: CompiledPolicy;
  hashSalt: string;
  /** What the end user sees instead of a blocked answer (the content-filter fallback). */
  blockedText: string;
  /** Open streamed messages tracked at once; the oldest is flushed beyond this. Default 64. */
  maxOpenMessages?: number;
}

interface OutputEnvelope {
  type?: unknown;
  data?: { text?: unknown; data?: { _cognigy?: { _messageId?: unknown; _finishReason?: unknown } } };
}

interface MessageState {
  filter: StreamFilter;
  blocked: boolean;
}

export interface OutputEnforcer {
  /** Replacement arguments for one upstream → frontend event (one or more emits), or undefined = as it was. */
  transform(event: string, args: unknown[]): unknown[][] | undefined;
}

function withText(envelope: OutputEnvelope, text: string, finishReason: 'keep' | 'drop' = 'keep'): OutputEnvelope {
  const data = { ...(envelope.data ?? {}), text };
  if (finishReason === 'drop' && data.data?._cognigy) {
    const { _finishReason: _dropped, ...cognigy } = data.data._cognigy;
    data.data = { ...data.data, _cognigy: cognigy };
  }
  return { ...envelope, data };
}

export function createOutputEnforcer(o: EnforcerOptions): OutputEnforcer {
  const open = new Map<string, MessageState>();
  const max = o.maxOpenMessages ?? 64;
  const newFilter = () => createFilter(o.compiled, { hashSalt: o.hashSalt });

  const run = (state: MessageState, text: string, end: boolean): string => {
    if (state.blocked) return '';
    const fed = state.filter.feed(text);
    let out = fed.text;
    let blocked = fed.blocked;
    if (end && !blocked) {
      const last = state.filter.end();
      out += last.text;
      blocked = last.blocked;
    }
    if (blocked) {
      state.blocked = true;
      return `${out}${o.blockedText}`;
    }
    return out;
  };

  return {
    transform(event, args) {
      if (event !== 'output') return undefined;
      const envelope = args[0] as OutputEnvelope | undefined;
      if (!envelope || typeof envelope !== 'object' || envelope.type !== 'output') return undefined;
      const text = envelope.data?.text;
      if (typeof text !== 'string') return undefined; // rich content only: nothing to filter
      const meta = envelope.data?.data?._cognigy;
      const messageId = typeof meta?._messageId === 'string' ? meta._messageId : undefined;
      const closing = typeof meta?._finishReason === 'string';
      const rest = args.slice(1);

      if (!messageId) return [[withText(envelope, run({ filter: newFilter(), blocked: false }, text, true)), ...rest]];

      let state = open.get(messageId);
      if (!state) {
        if (open.size >= max) open.delete(open.keys().next().value as string);
        state = { filter: newFilter(), blocked: false };
        open.set(messageId, state);
      }
      if (!closing) return [[withText(envelope, run(state, text, false)), ...rest]];

      open.delete(messageId);
      if (text !== '') return [[withText(envelope, run(state, text, true)), ...rest]];
      const held = run(state, '', true);
      if (held === '') return [[envelope, ...rest]];
      // The held text in its own (non-closing) chunk, then the empty closing chunk as Cognigy sent it. The
      // extra chunk carries no ack: only the upstream's own events are acked by the frontend.
      return [[withText(envelope, held, 'drop')], [envelope, ...rest]];
    },
  };
}
