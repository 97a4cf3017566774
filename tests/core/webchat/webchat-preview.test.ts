// The preview glue: session events in (as the turn runner publishes them, with the real filter holding text
// back), Webchat bubbles and warnings out. Outputs are judged only once their filtered text is settled.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../shared/events';
import { WEBCHAT_PRESET_FLAGS } from '../../../shared/webchat';
import { createFilter } from '../../../electron/core/filters';
import { createWebchatPreview, type WebchatPreviewEvent } from '../../../electron/core/webchat/webchat-preview';
import { defaultPolicy, SALT } from '../filters/helpers';

interface Chunk {
  text: string;
  messageId?: string;
  finish?: boolean;
  source?: string;
  structured?: { kind: 'rich-content' | 'webchat-event' | 'control-command' | 'plugin' | 'data'; summary: string };
}

/** The events a socket-endpoint turn publishes for these outputs: token, raw.text, filtered.text (real filter), message.end. */
function turnEvents(chunks: Chunk[]): SessionEvent[] {
  const turnId = 't1';
  const filter = createFilter(defaultPolicy(), { hashSalt: SALT });
  const events: SessionEvent[] = [];
  let raw = 0;
  let out = 0;
  let token = 0;
  let at = 0;
  const publish = (c: ReturnType<typeof filter.feed>) => {
    events.push({
      type: 'filtered.text',
      turnId,
      at: at++,
      start: out,
      text: c.text,
      hits: c.hits.map((h) => ({ type: h.type, action: h.action, rawStart: h.start, rawEnd: h.end, outStart: h.outStart, outEnd: h.outEnd })),
      holdback: c.holdback,
      holdbackReason: c.pending,
    });
    out += c.text.length;
  };
  chunks.forEach((c, frame) => {
    const origin = { frame, kind: 'text' as const, ...(c.messageId ? { messageId: c.messageId } : {}), ...(c.source ? { source: c.source } : {}) };
    if (c.structured) {
      events.push({ type: 'output.structured', turnId, at: at++, frame, kind: c.structured.kind, path: 'data._cognigy._webchat', summary: c.structured.summary, bytes: 10, position: raw, ...(c.messageId ? { messageId: c.messageId } : {}), ...(c.source ? { source: c.source } : {}) });
    }
    if (c.text) {
      events.push({ type: 'token', turnId, at: at++, index: token, text: c.text, origin });
      events.push({ type: 'raw.text', turnId, at: at++, start: raw, text: c.text, token: token++ });
      raw += c.text.length;
      publish(filter.feed(c.text));
    }
    if (!c.messageId) events.push({ type: 'message.end', turnId, at: at++, finishReason: 'complete', frame });
    else if (c.finish) events.push({ type: 'message.end', turnId, at: at++, messageId: c.messageId, finishReason: 'stop', frame });
  });
  publish(filter.end());
  events.push({ type: 'turn.end', turnId, at: at++, status: 'complete', rawLength: raw, durationMs: at, tokenCount: token });
  return events;
}

function preview(preset: keyof typeof WEBCHAT_PRESET_FLAGS, chunks: Chunk[]) {
  const out: WebchatPreviewEvent[] = [];
  const events = turnEvents(chunks);
  const p = createWebchatPreview('t1', WEBCHAT_PRESET_FLAGS[preset], (e) => out.push(e));
  /** For each emitted webchat event, how many session events had been fed. */
  const fedAt: number[] = [];
  events.forEach((e, i) => {
    const before = out.length;
    p.feed(e);
    for (let k = before; k < out.length; k++) fedAt[k] = i;
  });
  return { texts: p.texts(), warnings: p.warnings(), out, events, fedAt };
}

const m = (text: string, finish = false): Chunk => ({ text, messageId: 'm1', finish });

describe('Webchat preview of a filtered turn', () => {
  it('Modern: the chunks join one bubble equal to the filtered answer', () => {
    const r = preview('modern', [m('Hello.'), m(' Card 4111 1111 1111 1111 is on file.'), m('', true)]);
    expect(r.texts).toEqual(['Hello. Card [CREDIT_CARD] is on file.']);
    expect(r.warnings).toEqual([]);
  });

  it('Modern: words on the closing chunk are lost, with their filtered offsets', () => {
    const r = preview('modern', [m('Your order ships today.'), m(' Thanks for waiting!', true)]);
    expect(r.texts).toEqual(['Your order ships today.']);
    expect(r.warnings).toEqual([expect.objectContaining({ kind: 'closing-text-dropped', frames: [1], text: ' Thanks for waiting!', start: 23, end: 43, messageId: 'm1' })]);
  });

  it('Modern: an e-mail split by a flush at its dot is lost with the closing chunk (A2), and the mask is what the warning quotes', () => {
    const r = preview('modern', [m('Write to jane.'), m('doe@example.com', true)]);
    expect(r.texts).toEqual(['Write to ']);
    expect(r.warnings[0]).toMatchObject({ kind: 'closing-text-dropped', text: '[EMAIL_ADDRESS]' });
    // The detected value never appears in a preview event.
    expect(JSON.stringify(r.out)).not.toContain('doe@');
  });

  it('an output is judged only once its held-back text is released', () => {
    // "4111" could start a card: the filter holds chunk 0's end until chunk 1 arrives.
    const r = preview('slick', [m('Order 4111'), m(' shipped.'), m('', true)]);
    expect(r.texts).toEqual(['Order 4111 shipped.']);
    const open = r.out.findIndex((e) => e.type === 'webchat.bubble' && e.op === 'open');
    expect(r.out[open]).toMatchObject({ text: 'Order 4111', frame: 0 });
    // The bubble opened only after chunk 1's token was fed (index 3), never from chunk 0's partial release.
    expect(r.fedAt[open]).toBeGreaterThanOrEqual(r.events.findIndex((e) => e.type === 'token' && e.origin.frame === 1));
  });

  it('Classic: one bubble per chunk and one split warning', () => {
    const r = preview('classic', [m('One.'), m(' Two.'), m(' Three.'), m('', true)]);
    expect(r.texts).toEqual(['One.', 'Two.', 'Three.']);
    expect(r.warnings.map((w) => w.kind)).toEqual(['split-bubbles']);
  });

  it('every webchat event comes before turn.end is fed through, and belongs to the turn', () => {
    const r = preview('classic', [m('A.'), m(' B.')]);
    expect(r.out.every((e) => e.turnId === 't1')).toBe(true);
    const turnEnd = r.events.findIndex((e) => e.type === 'turn.end');
    expect(r.fedAt.every((i) => i <= turnEnd)).toBe(true);
    expect(r.warnings.map((w) => w.kind)).toEqual(['split-bubbles']);
  });

  it('rich content between the chunks is a message of its own; a Webchat event is none', () => {
    const r = preview('modern', [m('Choose one.'), { text: '', structured: { kind: 'rich-content', summary: 'quick replies: "Yes" · "No"' } }, { text: '', structured: { kind: 'webchat-event', summary: 'queueUpdate' } }, m(' Or ask.'), m('', true)]);
    expect(r.texts).toEqual(['Choose one. Or ask.', 'quick replies: "Yes" · "No"']);
    expect(r.warnings).toEqual([]);
  });

  it('agent outputs (source from the token origin) are bubbles of their own even in Modern', () => {
    const r = preview('modern', [{ text: 'Hi, Anna here.', messageId: 'a1', source: 'agent' }, { text: ' How can I help?', messageId: 'a1', source: 'agent', finish: true }]);
    expect(r.texts).toEqual(['Hi, Anna here.', ' How can I help?']);
    expect(r.warnings.map((w) => w.kind)).toEqual(['split-bubbles']);
  });

  it('events of another turn are ignored', () => {
    const out: WebchatPreviewEvent[] = [];
    const p = createWebchatPreview('other', WEBCHAT_PRESET_FLAGS.modern, (e) => out.push(e));
    for (const e of turnEvents([m('Hi.', true)])) p.feed(e);
    expect(out).toEqual([]);
  });
});
