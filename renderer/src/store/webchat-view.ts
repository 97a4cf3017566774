// A turn's Webchat preview as the renderer keeps it, built only from the webchat.* events the core emits
// (the rules live in electron/core/webchat; the renderer never re-decides them). Pure; each event returns a
// new object so a component selecting `turn.webchat` re-renders only when the preview changed.
import type { WebchatBubbleEvent, WebchatSettingsEvent, WebchatWarningEvent } from '../../../shared/events';
import type { WebchatBubble } from '../../../shared/webchat';

/** The core's bubble, rebuilt from its events (shared/webchat.ts: one shape for both sides). */
export type WebchatBubbleView = WebchatBubble;

export interface WebchatView {
  settings?: WebchatSettingsEvent;
  bubbles: WebchatBubbleView[];
  warnings: WebchatWarningEvent[];
}

export type WebchatEvent = WebchatSettingsEvent | WebchatBubbleEvent | WebchatWarningEvent;

/**
 * A batch of one turn's webchat events: the view, its lists and every bubble that changes are copied once
 * per batch and then changed in place, so a flood of outputs costs O(events), not O(events × bubbles).
 */
export function applyWebchatEvents(view: WebchatView | undefined, events: readonly WebchatEvent[]): WebchatView {
  const v: WebchatView = view ? { ...view, bubbles: [...view.bubbles], warnings: [...view.warnings] } : { bubbles: [], warnings: [] };
  const fresh = new Set<number>();
  const own = (i: number): WebchatBubbleView | undefined => {
    const b = v.bubbles[i];
    if (!b || fresh.has(i)) return b;
    const copy = { ...b, frames: [...b.frames], pieces: [...b.pieces] };
    v.bubbles[i] = copy;
    fresh.add(i);
    return copy;
  };
  for (const e of events) {
    switch (e.type) {
      case 'webchat.settings':
        v.settings = e;
        break;
      case 'webchat.warning':
        v.warnings.push(e);
        break;
      case 'webchat.bubble': {
        const old = e.op === 'open' ? undefined : own(e.bubble);
        if (!old) {
          v.bubbles[e.bubble] = {
            index: e.bubble,
            kind: e.kind,
            source: e.source,
            ...(e.messageId ? { messageId: e.messageId } : {}),
            frames: [e.frame],
            pieces: e.text ? [e.text] : [],
            finished: e.op === 'finish',
            ...(e.summary ? { summary: e.summary } : {}),
          };
          fresh.add(e.bubble);
        } else if (e.op === 'append') {
          old.frames.push(e.frame);
          old.pieces.push(e.text);
        } else {
          old.finished = true;
        }
        break;
      }
      default: {
        const never: never = e;
        return never;
      }
    }
  }
  return v;
}
