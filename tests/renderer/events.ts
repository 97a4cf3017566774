// Builders of session events for renderer tests.
import type { FilterHit, SessionEvent, TurnStatus } from '../../shared/events';

export const start = (turnId: string, input = 'hi', scenario?: string): SessionEvent => ({
  type: 'turn.start',
  turnId,
  at: 0,
  sessionId: 'session-1',
  requestId: `req-${turnId}`,
  upstream: 'gateway',
  environment: 'demo',
  input,
  ...(scenario ? { scenario } : {}),
  startedAt: '2026-01-01T00:00:00.000Z',
});

/** A text token and the raw text it completed (the reassembly's view), in one go. */
export function textToken(turnId: string, index: number, text: string, rawStart: number, at: number, opts: { seq?: number; raw?: string } = {}): SessionEvent[] {
  const out: SessionEvent[] = [{ type: 'token', turnId, at, index, text, origin: { frame: index, kind: 'text', ...(opts.seq !== undefined ? { seq: opts.seq } : {}) } }];
  const raw = opts.raw ?? text;
  if (raw) out.push({ type: 'raw.text', turnId, at, start: rawStart, text: raw, token: index });
  return out;
}

export const filtered = (turnId: string, start: number, text: string, hits: FilterHit[] = [], holdback = 0, holdbackReason: string[] = []): SessionEvent => ({
  type: 'filtered.text',
  turnId,
  at: 1,
  start,
  text,
  hits,
  holdback,
  holdbackReason,
});

export const end = (turnId: string, status: TurnStatus = 'complete', rawLength = 0, extra: Partial<SessionEvent & { type: 'turn.end' }> = {}): SessionEvent => ({
  type: 'turn.end',
  turnId,
  at: 100,
  status,
  rawLength,
  durationMs: 100,
  tokenCount: 0,
  ttftMs: 10,
  ...extra,
});

/** Tokens for a plain text, split every `size` characters, with matching raw and filtered events. */
export function streamed(turnId: string, text: string, size = 3): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (let i = 0, k = 0; i < text.length; i += size, k++) out.push(...textToken(turnId, k, text.slice(i, i + size), i, 10 + k * 20));
  out.push(filtered(turnId, 0, text));
  return out;
}
