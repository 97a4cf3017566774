// The Webchat preview of one turn, built from the session's own events (live, or a cassette's): it groups
// the raw stream back into the `output`s Webchat would receive, gives each the filtered text attributed to
// it, and hands each output to the rendering rules once it is settled — its metadata complete and no
// filtered text of it still held back. Emits `webchat.bubble` / `webchat.warning` events. Pure: no I/O.
import type { SessionEvent, StructuredOutputKind, TokenOrigin, WebchatBubbleEvent, WebchatWarningEvent } from '../../../shared/events';
import type { WebchatFlags } from '../../../shared/webchat';
import { createAttribution } from './attribution';
import { bubbleText, createWebchatRenderer, type Bubble, type OutputContent } from './webchat-rules';

export type WebchatPreviewEvent = WebchatBubbleEvent | WebchatWarningEvent;

export interface WebchatPreview {
  /** Every event of the turn, in order (its own webchat.* events are ignored). */
  feed(e: SessionEvent): void;
  /** Settles everything still pending (the turn ended, or the events ran out). */
  end(at: number): void;
  bubbles(): readonly Bubble[];
  /** What each bubble shows, in order. */
  texts(): string[];
  warnings(): readonly WebchatWarningEvent[];
}

interface Pending {
  frame: number;
  source: string;
  messageId?: string;
  finishReason?: string;
  /** Raw units of this output end here (0: it brought no raw text). */
  rawEnd: number;
  /** Its metadata is complete: a later output or its own message.end was seen. */
  closed: boolean;
  text: string;
  start: number;
  content?: OutputContent;
}

/** What a structured part means to Webchat; plain flow `data` draws nothing. */
function contentOf(kind: StructuredOutputKind, summary: string): OutputContent | undefined {
  switch (kind) {
    case 'rich-content':
      return { kind: 'rich', summary };
    case 'webchat-event':
      return { kind: 'event', summary };
    case 'control-command':
      return { kind: 'control', summary };
    case 'plugin':
      return { kind: 'plugin', summary };
    case 'data':
      return undefined;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** A Webchat event hides the whole output (W2); rich content outranks a plugin, which outranks a command. */
const CONTENT_RANK: Record<OutputContent['kind'], number> = { event: 3, rich: 2, plugin: 1, control: 0 };

/** Reads the output's `source` where the event model carries it (token origin), else `bot`. */
function sourceOf(origin: TokenOrigin): string {
  return origin.source || 'bot';
}

export function createWebchatPreview(turnId: string, flags: WebchatFlags, emit: (e: WebchatPreviewEvent) => void): WebchatPreview {
  let at = 0;
  const warnings: WebchatWarningEvent[] = [];
  const renderer = createWebchatRenderer(flags, {
    bubble: (c) => emit({ type: 'webchat.bubble', turnId, at, ...c }),
    warning: (w) => {
      const ev: WebchatWarningEvent = { type: 'webchat.warning', turnId, at, ...w };
      warnings.push(ev);
      emit(ev);
    },
  });
  const attribution = createAttribution();
  /** Outputs in arrival order, from `next` on not yet rendered. */
  const outputs: Pending[] = [];
  const byFrame = new Map<number, Pending>();
  const tokenFrame: number[] = [];
  let next = 0;
  let filteredEnd = 0;
  let ended = false;

  const outputOf = (frame: number): Pending => {
    let o = byFrame.get(frame);
    if (o) return o;
    // A later output closes every earlier one: Webchat has received them whole.
    for (let i = outputs.length - 1; i >= next && !outputs[i]!.closed; i--) outputs[i]!.closed = true;
    o = { frame, source: 'bot', rawEnd: 0, closed: false, text: '', start: filteredEnd };
    outputs.push(o);
    byFrame.set(frame, o);
    return o;
  };

  const settle = (all: boolean) => {
    const released = attribution.rawReleased();
    while (next < outputs.length) {
      const o = outputs[next]!;
      if (!all && (!o.closed || o.rawEnd > released)) return;
      next++;
      byFrame.delete(o.frame);
      renderer.output({
        frame: o.frame,
        source: o.source,
        text: o.text,
        start: o.start,
        ...(o.messageId ? { messageId: o.messageId } : {}),
        ...(o.finishReason ? { finishReason: o.finishReason } : {}),
        ...(o.content ? { content: o.content } : {}),
      });
    }
  };

  const end = (endAt: number) => {
    if (ended) return;
    at = Math.max(at, endAt);
    for (const o of outputs) o.closed = true;
    settle(true);
    renderer.end();
    ended = true;
  };

  return {
    feed(e) {
      if (ended || e.turnId !== turnId) return;
      at = e.at;
      switch (e.type) {
        case 'token': {
          tokenFrame[e.index] = e.origin.frame;
          const o = outputOf(e.origin.frame);
          if (e.origin.messageId) o.messageId = e.origin.messageId;
          o.source = sourceOf(e.origin);
          break;
        }
        case 'raw.text': {
          const frame = tokenFrame[e.token];
          if (frame === undefined) break;
          attribution.raw(frame, e.start, e.text.length);
          const o = byFrame.get(frame);
          if (o) o.rawEnd = e.start + e.text.length;
          break;
        }
        case 'filtered.text': {
          for (const p of attribution.release(e.start, e.text, e.hits)) {
            const o = byFrame.get(p.frame);
            if (!o) continue;
            if (!o.text) o.start = p.start;
            o.text += p.text;
          }
          filteredEnd = e.start + e.text.length;
          settle(false);
          break;
        }
        case 'output.structured': {
          const o = outputOf(e.frame);
          if (e.messageId) o.messageId = e.messageId;
          if (e.source) o.source = e.source;
          const content = contentOf(e.kind, e.summary);
          // One output may carry several parts: the one that decides how Webchat treats it wins.
          if (content && (!o.content || CONTENT_RANK[content.kind] > CONTENT_RANK[o.content.kind])) o.content = content;
          break;
        }
        case 'message.end': {
          if (e.frame === undefined) break;
          const o = outputOf(e.frame);
          if (e.source) o.source = e.source;
          if (e.messageId) {
            o.messageId = e.messageId;
            o.finishReason = e.finishReason ?? 'stop';
          }
          o.closed = true;
          settle(false);
          break;
        }
        case 'turn.end':
          end(e.at);
          break;
        default:
          break;
      }
    },
    end,
    bubbles: () => renderer.bubbles(),
    texts: () => renderer.bubbles().map((b) => (b.kind === 'text' ? bubbleText(b, flags) : [b.summary, bubbleText(b, flags)].filter(Boolean).join(' — '))),
    warnings: () => warnings,
  };
}
