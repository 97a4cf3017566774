// The Webchat v3 rendering rules as this project models them: which outputs become bubbles, which join one,
// which are dropped, and where that differs from the answer text. The rules are written in
// docs/webchat-rendering.md (W1…W10); each has its own unit test. This is a model of Webchat's documented
// behaviour, not Webchat's code. Pure: outputs in, bubble changes and warnings out through callbacks.
import type { WebchatBubbleEvent, WebchatWarningEvent } from '../../../shared/events';
import type { WebchatBubble, WebchatFlags } from '../../../shared/webchat';

/** Non-text content of an output (from the structured-output event of the same frame). */
export interface OutputContent {
  /** rich: quick replies, galleries, buttons, cards; plugin: `data._plugin`; event: a Webchat event (`_webchat3`); control: control commands. */
  kind: 'rich' | 'plugin' | 'event' | 'control';
  summary: string;
}

/** One `output` as Webchat receives it, its text already filtered. */
export interface WebchatOutput {
  frame: number;
  /** bot, agent or engagement (`bot` when the output did not say). */
  source: string;
  messageId?: string;
  /** Set when the output carried `_finishReason` (only meaningful with a `_messageId`). */
  finishReason?: string;
  /** Filtered text attributed to this output (see attribution.ts). */
  text: string;
  /** Offset of `text` in the filtered answer. */
  start: number;
  content?: OutputContent;
}

export type Bubble = WebchatBubble;

export type BubbleChange = Omit<WebchatBubbleEvent, 'type' | 'turnId' | 'at'>;
export type Warning = Omit<WebchatWarningEvent, 'type' | 'turnId' | 'at'>;

export interface WebchatRendererSink {
  bubble(change: BubbleChange): void;
  warning(w: Warning): void;
}

export interface WebchatRenderer {
  output(o: WebchatOutput): void;
  /** The turn ended: messages still open are judged as they stand. */
  end(): void;
  bubbles(): readonly Bubble[];
}

/** W5: text that is empty or only whitespace / control escapes (space, \t, \n, \r, \f, \v, backspace) starts no bubble. */
const ONLY_ESCAPES = /^[\s\u0008]+$/u;
export function isBlankText(text: string): boolean {
  return text === '' || ONLY_ESCAPES.test(text);
}

/** W8: a bubble's first text is cut at each newline, the newline kept as a piece of its own. */
export function splitAtNewlines(text: string): string[] {
  return text.split(/(\n)/).filter((p) => p.length > 0);
}

/** The text a bubble shows. W10: without collation Webchat trims the start of a bot or engagement bubble. */
export function bubbleText(b: Bubble, flags: WebchatFlags): string {
  const text = b.pieces.join('');
  return !flags.collateStreamedOutputs && isBotLike(b.source) ? text.trimStart() : text;
}

function isBotLike(source: string): boolean {
  return source === 'bot' || source === 'engagement';
}

export function quote(text: string, max = 80): string {
  const q = JSON.stringify(text);
  return q.length > max ? `${q.slice(0, max - 2)}…"` : q;
}

function range(frames: number[]): string {
  if (frames.length === 1) return `output ${frames[0]}`;
  return `outputs ${frames[0]}–${frames[frames.length - 1]}`;
}

export function createWebchatRenderer(flags: WebchatFlags, sink: WebchatRendererSink): WebchatRenderer {
  const list: Bubble[] = [];
  /** W6: with collation, the bubble each `_messageId` joins. */
  const byMessage = new Map<string, Bubble>();
  /** W9: without collation, the bubbles each streamed message became (for the split warning). */
  const splits = new Map<string, { frames: number[]; bubbles: number[]; judged: boolean; why: string }>();
  const collate = flags.collateStreamedOutputs;
  const streaming = collate || flags.progressiveMessageRendering;

  const open = (o: WebchatOutput, kind: Bubble['kind'], pieces: string[], finished: boolean): Bubble => {
    const b: Bubble = { index: list.length, kind, source: o.source, frames: [o.frame], pieces, finished };
    if (o.messageId) b.messageId = o.messageId;
    if (o.content) b.summary = o.content.summary;
    list.push(b);
    sink.bubble({
      bubble: b.index,
      op: 'open',
      kind,
      source: o.source,
      ...(o.messageId ? { messageId: o.messageId } : {}),
      frame: o.frame,
      text: pieces.join(''),
      ...(o.content ? { summary: o.content.summary } : {}),
    });
    if (finished) finish(b, o.frame);
    return b;
  };
  const finish = (b: Bubble, frame: number) => {
    b.finished = true;
    sink.bubble({ bubble: b.index, op: 'finish', kind: b.kind, source: b.source, ...(b.messageId ? { messageId: b.messageId } : {}), frame, text: '' });
  };
  const kindOf = (o: WebchatOutput): Bubble['kind'] => (o.content?.kind === 'plugin' ? 'plugin' : o.content ? 'rich' : 'text');
  const where = (o: WebchatOutput) => (o.messageId ? `output ${o.frame} of message ${o.messageId}` : `output ${o.frame}`);
  const lost = (o: WebchatOutput) => ({ text: o.text, start: o.start, end: o.start + o.text.length });

  const discard = (o: WebchatOutput, why: string) => {
    if (o.content) {
      sink.warning({ kind: 'rich-dropped', detail: `Webchat does not show the ${o.content.kind} content of ${where(o)} (${o.content.summary}): ${why}`, frames: [o.frame], ...(o.messageId ? { messageId: o.messageId } : {}) });
    } else if (o.text) {
      sink.warning({ kind: 'chunk-discarded', detail: `Webchat discards ${where(o)} (${quote(o.text)}): ${why}`, frames: [o.frame], ...(o.messageId ? { messageId: o.messageId } : {}), ...lost(o) });
    }
  };

  const noteSplit = (o: WebchatOutput, b: Bubble) => {
    if (!o.messageId) return;
    const why = isBotLike(o.source) ? 'collateStreamedOutputs is off' : `its source is ${o.source}, not bot`;
    const s = splits.get(o.messageId) ?? { frames: [], bubbles: [], judged: false, why };
    splits.set(o.messageId, s);
    s.frames.push(o.frame);
    s.bubbles.push(b.index);
  };
  const judgeSplit = (messageId: string) => {
    const s = splits.get(messageId);
    if (!s || s.judged) return;
    s.judged = true;
    if (s.bubbles.length < 2) return;
    sink.warning({
      kind: 'split-bubbles',
      detail: `Message ${messageId} is shown as ${s.bubbles.length} bubbles (${range(s.frames)}), not one: ${s.why}, so every chunk is a bubble of its own`,
      frames: s.frames,
      messageId,
      bubble: s.bubbles[0],
      bubbles: s.bubbles.length,
    });
  };

  const output = (input: WebchatOutput) => {
    // W2: Webchat events (queue updates, live-agent events) are handled beside the message list, with their
    // text; control commands are acted on, never drawn, so only the output's text counts.
    if (input.content?.kind === 'event') return;
    const o: WebchatOutput = input.content?.kind === 'control' ? { ...input, content: undefined } : input;
    const blank = isBlankText(o.text);

    // W3: with both flags off, or from a live agent, every output is a message of its own, as it arrives.
    if (!streaming || !isBotLike(o.source)) {
      // What the text component renders: nothing for empty text, nor (without collation) for whitespace only.
      const rendersText = o.text !== '' && !(blank && !collate);
      if (o.content) open(o, kindOf(o), [o.text], true);
      else if (rendersText) open(o, 'text', [o.text], true);
      else discard(o, 'an output with only whitespace renders no bubble');
      if (o.content || rendersText) noteSplit(o, list[list.length - 1]!);
      if (o.messageId && o.finishReason) judgeSplit(o.messageId);
      return;
    }

    // W4: no text and no _messageId: rich content, a complete message of its own.
    if (!o.text && !o.messageId) {
      if (o.content) open(o, kindOf(o), [], true);
      return;
    }

    const existing = collate && o.messageId ? byMessage.get(o.messageId) : undefined;
    if (!existing) {
      // W5: nothing to join and nothing to show: the output is dropped (an empty first chunk, rich content with an id).
      if (blank) {
        discard(o, o.content ? 'it carries a _messageId and no text, and such an output starts no bubble' : 'a chunk with no text or only whitespace starts no bubble');
        if (o.messageId && o.finishReason) judgeSplit(o.messageId);
        return;
      }
      // W6 / W9: it opens a bubble; without collation every chunk does, and is complete at once.
      const finished = !collate || !o.messageId || !!o.finishReason;
      const b = open(o, kindOf(o), splitAtNewlines(o.text), finished);
      if (collate && o.messageId) byMessage.set(o.messageId, b);
      noteSplit(o, b);
      if (o.messageId && o.finishReason) judgeSplit(o.messageId);
      return;
    }

    existing.frames.push(o.frame);
    // W7: a closing chunk for an existing bubble only marks it finished: its text is not appended.
    if (o.finishReason) {
      if (!existing.finished) finish(existing, o.frame);
      if (!blank) {
        sink.warning({
          kind: 'closing-text-dropped',
          detail: `Webchat drops ${quote(o.text)} at the end of bubble ${existing.index + 1}: the closing chunk (${where(o)}) carries text, and with collateStreamedOutputs on a chunk with _finishReason only marks the bubble finished`,
          frames: [o.frame],
          messageId: existing.messageId,
          bubble: existing.index,
          ...lost(o),
        });
      }
      if (o.content) discard(o, 'a closing chunk is not appended');
      return;
    }
    // W6: a later chunk joins the bubble as one more piece (not split again).
    existing.pieces.push(o.text);
    sink.bubble({ bubble: existing.index, op: 'append', kind: existing.kind, source: existing.source, ...(existing.messageId ? { messageId: existing.messageId } : {}), frame: o.frame, text: o.text });
    if (o.content) discard(o, 'a chunk joining a bubble adds only its text');
  };

  return {
    output,
    end() {
      for (const id of splits.keys()) judgeSplit(id);
    },
    bubbles: () => list,
  };
}
