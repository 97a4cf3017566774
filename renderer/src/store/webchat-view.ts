// A turn's Webchat preview as the renderer keeps it, built only from the webchat.* events the core emits
// (the rules live in electron/core/webchat; the renderer never re-decides them). Pure; each event returns a
// new object so a component selecting `turn.webchat` re-renders only when the preview changed.
import type { WebchatBubbleEvent, WebchatSettingsEvent, WebchatWarningEvent } from '../../../shared/events';

export interface WebchatBubbleView {
  index: number;
  kind: WebchatBubbleEvent['kind'];
  source: string;
  messageId?: string;
  frames: number[];
  /** Filtered text, as its pieces arrived (the first one as sent; W8 cutting happens at display). */
  pieces: string[];
  finished: boolean;
  summary?: string;
}

export interface WebchatView {
  settings?: WebchatSettingsEvent;
  bubbles: WebchatBubbleView[];
  warnings: WebchatWarningEvent[];
}

export type WebchatEvent = WebchatSettingsEvent | WebchatBubbleEvent | WebchatWarningEvent;

export function applyWebchatEvent(view: WebchatView | undefined, e: WebchatEvent): WebchatView {
  const v: WebchatView = view ?? { bubbles: [], warnings: [] };
  switch (e.type) {
    case 'webchat.settings':
      return { ...v, settings: e };
    case 'webchat.warning':
      return { ...v, warnings: [...v.warnings, e] };
    case 'webchat.bubble': {
      const bubbles = [...v.bubbles];
      const old = bubbles[e.bubble];
      if (e.op === 'open' || !old) {
        bubbles[e.bubble] = {
          index: e.bubble,
          kind: e.kind,
          source: e.source,
          ...(e.messageId ? { messageId: e.messageId } : {}),
          frames: [e.frame],
          pieces: e.text ? [e.text] : [],
          finished: e.op === 'finish',
          ...(e.summary ? { summary: e.summary } : {}),
        };
      } else if (e.op === 'append') {
        bubbles[e.bubble] = { ...old, frames: [...old.frames, e.frame], pieces: [...old.pieces, e.text] };
      } else {
        bubbles[e.bubble] = { ...old, finished: true };
      }
      return { ...v, bubbles };
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}
