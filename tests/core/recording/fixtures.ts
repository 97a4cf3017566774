// Builds realistic event sequences of one turn (as the session engine emits them) for recording tests.
import type { FilterHit, SessionEvent, TurnEndEvent } from '../../../shared/events';

export interface TurnSpec {
  turnId: string;
  input: string;
  tokens: string[];
  /** Filtered text released per token (same length as tokens); default = the token text. */
  filtered?: string[];
  hits?: FilterHit[];
  scenario?: string;
  status?: TurnEndEvent['status'];
  cause?: TurnEndEvent['cause'];
  /** ms between tokens; first token at firstMs. */
  gapMs?: number;
  firstMs?: number;
  usage?: { prompt: number; completion: number } | null;
  leak?: boolean;
  sync?: 'synced' | 'failed' | null;
}

export function turnEvents(s: TurnSpec): SessionEvent[] {
  const gap = s.gapMs ?? 10;
  const first = s.firstMs ?? 100;
  const ev: SessionEvent[] = [];
  ev.push({
    type: 'turn.start',
    turnId: s.turnId,
    at: 0,
    sessionId: 'session-1',
    requestId: `req-${s.turnId}`,
    upstream: 'gateway',
    environment: 'demo',
    input: s.input,
    ...(s.scenario ? { scenario: s.scenario } : {}),
    startedAt: '2025-01-01T00:00:00.000Z',
  });
  let raw = 0;
  let out = 0;
  s.tokens.forEach((text, i) => {
    const at = first + i * gap;
    ev.push({ type: 'token', turnId: s.turnId, at, index: i, text, origin: { frame: Math.floor(i / 2), seq: Math.floor(i / 2), kind: 'text' } });
    ev.push({ type: 'raw.text', turnId: s.turnId, at, start: raw, text, token: i });
    raw += text.length;
    const f = s.filtered ? (s.filtered[i] ?? '') : text;
    const hits = i === s.tokens.length - 1 ? (s.hits ?? []) : [];
    ev.push({ type: 'filtered.text', turnId: s.turnId, at, start: out, text: f, hits, holdback: 0, holdbackReason: [] });
    out += f.length;
  });
  const end = first + s.tokens.length * gap;
  ev.push({ type: 'message.end', turnId: s.turnId, at: end, finishReason: 'stop' });
  if (s.leak) ev.push({ type: 'filter.leak', turnId: s.turnId, at: end, detail: 'differs', position: 3 });
  if (s.usage !== null) {
    const u = s.usage ?? { prompt: 5, completion: s.tokens.length };
    const total = u.prompt + u.completion;
    ev.push({
      type: 'usage',
      turnId: s.turnId,
      at: end,
      reported: { prompt: u.prompt, completion: u.completion, total },
      estimated: { prompt: u.prompt, completion: u.completion, total },
      encoding: 'o200k_base',
      drift: 0,
      driftFlagged: false,
      source: 'reported',
    });
  }
  const status = s.status ?? 'complete';
  if (status !== 'complete') {
    ev.push({ type: 'error', turnId: s.turnId, at: end, cause: s.cause ?? 'network', message: 'socket dropped', closeCode: 1006, fallback: 'An unexpected error occurred.' });
  }
  ev.push({
    type: 'turn.end',
    turnId: s.turnId,
    at: end,
    status,
    ...(status !== 'complete' ? { cause: s.cause ?? 'network' } : {}),
    rawLength: raw,
    ...(s.tokens.length ? { ttftMs: first } : {}),
    durationMs: end,
    tokenCount: s.tokens.length,
  });
  if (s.sync !== null && status === 'complete') {
    const state = s.sync ?? 'synced';
    ev.push({ type: 'sync', turnId: s.turnId, at: end + 1, syncId: `req-${s.turnId}`, target: 'gateway-variables', state: 'queued', attempt: 0 });
    ev.push({ type: 'sync', turnId: s.turnId, at: end + 5, syncId: `req-${s.turnId}`, target: 'gateway-variables', state, attempt: 1, ...(state === 'failed' ? { cause: 'server_error' as const } : {}) });
  }
  return ev;
}

export const HEADER_INPUT = {
  upstream: 'gateway' as const,
  environment: { name: 'demo', kind: 'gateway' as const, gateway: { host: '127.0.0.1:1234', clientId: 'demo-client' } },
  model: { model: 'gpt-4-turbo', temperature: 0.7, maxTokens: 1024 },
  scenario: 'happy',
};
