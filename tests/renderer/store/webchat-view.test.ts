// The renderer's Webchat preview is rebuilt from the core's webchat.* events alone, immutably.
import { describe, expect, it } from 'vitest';
import type { WebchatBubbleEvent } from '../../../shared/events';
import { applyEvents, EMPTY_TURNS } from '../../../renderer/src/store/turn-model';
import { applyWebchatEvents } from '../../../renderer/src/store/webchat-view';

const bubble = (o: Partial<WebchatBubbleEvent>): WebchatBubbleEvent => ({ type: 'webchat.bubble', turnId: 't', at: 1, bubble: 0, op: 'open', kind: 'text', source: 'bot', frame: 0, text: '', ...o });

describe('webchat view', () => {
  it('opens, appends and finishes bubbles; each event gives a new object', () => {
    const a = applyWebchatEvents(undefined, [bubble({ text: 'Hello.', messageId: 'm' })]);
    const b = applyWebchatEvents(a, [bubble({ op: 'append', frame: 1, text: ' Bye.' })]);
    const c = applyWebchatEvents(b, [bubble({ op: 'finish', frame: 2 })]);
    expect(a).not.toBe(b);
    // Earlier views are never changed in place.
    expect(a.bubbles[0]).toMatchObject({ pieces: ['Hello.'], frames: [0], finished: false });
    expect(b.bubbles[0]).toMatchObject({ pieces: ['Hello.', ' Bye.'], finished: false });
    expect(c.bubbles[0]).toMatchObject({ pieces: ['Hello.', ' Bye.'], frames: [0, 1], finished: true, messageId: 'm' });
  });

  it('a flood in one batch: every bubble and piece kept, in order', () => {
    const evs = [bubble({ text: 'a', messageId: 'm' })];
    for (let i = 1; i < 10_000; i++) evs.push(bubble({ op: 'append', frame: i, text: String(i % 10) }));
    for (let i = 0; i < 10_000; i++) evs.push(bubble({ bubble: i + 1, frame: 10_000 + i, text: `b${i}` }));
    const v = applyWebchatEvents(undefined, evs);
    expect(v.bubbles).toHaveLength(10_001);
    expect(v.bubbles[0]!.pieces).toHaveLength(10_000);
    expect(v.bubbles[10_000]!.pieces).toEqual(['b9999']);
  });

  it('a turn keeps its preview; other events leave the preview object as it was', () => {
    const warning = { type: 'webchat.warning' as const, turnId: 't', at: 2, kind: 'closing-text-dropped' as const, detail: 'Webchat drops " Bye."', frames: [2], text: ' Bye.' };
    const s1 = applyEvents(EMPTY_TURNS, [
      { type: 'turn.start', turnId: 't', at: 0, sessionId: 's', requestId: 'r', upstream: 'socket-endpoint', environment: 'sock', input: 'hi', startedAt: new Date(0).toISOString() },
      bubble({ text: 'Hello.' }),
      warning,
    ]).turns;
    const view = s1.byId.t!.webchat!;
    expect(view.warnings).toEqual([warning]);
    const s2 = applyEvents(s1, [{ type: 'token', turnId: 't', at: 3, index: 0, text: 'x', origin: { frame: 3, kind: 'text' } }]).turns;
    expect(s2.byId.t!.webchat).toBe(view);
  });
});
