// What the relay tells a frontend about a turn, derived from session events: only released filtered text
// (never raw text, never hit values), usage, typed errors with their fallback, and a final `done`.
// The concatenated `token` texts are exactly the filtered answer `stream` prints.
import type { SessionEvent } from '../../../shared/events';
import { countedUsage } from '../../../shared/counted-usage';
import { TURN_STATUS_INFO } from '../../../shared/turn-status';

export type RelayEventName = 'token' | 'usage' | 'error' | 'done';

export interface RelayEvent {
  event: RelayEventName;
  data: Record<string, unknown>;
}

export function relayEventOf(e: SessionEvent): RelayEvent | null {
  switch (e.type) {
    case 'filtered.text':
      return e.text ? { event: 'token', data: { text: e.text } } : null;
    case 'usage': {
      const counted = countedUsage(e);
      return {
        event: 'usage',
        data: {
          prompt: counted.prompt,
          completion: counted.completion,
          total: counted.total,
          source: e.source,
          ...(e.reported ? { reported: e.reported } : {}),
          estimated: e.estimated,
          ...(e.drift !== undefined ? { drift: e.drift } : {}),
          driftFlagged: e.driftFlagged,
        },
      };
    }
    case 'error':
      return {
        event: 'error',
        data: {
          cause: e.cause,
          message: e.message,
          fallback: e.fallback,
          ...(e.status !== undefined ? { status: e.status } : {}),
          ...(e.closeCode !== undefined ? { closeCode: e.closeCode } : {}),
          ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
          // Present when the turn goes on (a retried 429): the frontend should not show the fallback yet.
          ...(e.retry ? { retry: e.retry } : {}),
        },
      };
    case 'turn.end':
      return {
        event: 'done',
        data: {
          turnId: e.turnId,
          status: e.status,
          // A frontend must not take a damaged answer for the whole one: `whole` is the one bit to check.
          whole: TURN_STATUS_INFO[e.status].whole,
          ...(e.cause !== undefined ? { cause: e.cause } : {}),
          ...(e.damage?.length ? { damage: e.damage } : {}),
          ...(e.ttftMs !== undefined ? { ttftMs: Math.round(e.ttftMs) } : {}),
          durationMs: Math.round(e.durationMs),
          tokenCount: e.tokenCount,
        },
      };
    default:
      return null;
  }
}
