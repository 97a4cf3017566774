// Runs one turn on a session engine and collects that turn's events (and only that turn's: a previous
// turn's late sync events are left out), waiting for the answer's sync to settle so the outcome is part of
// the record. Shared by record, replay and the relay, which all need "one turn, all of its events".
import type { SessionEvent } from '../../../shared/events';
import type { WebchatMode } from '../../../shared/webchat';
import type { SessionEngine, TurnSummary } from '../session/session-engine';

export interface EngineTurnOptions {
  input: string;
  scenario?: string;
  signal?: AbortSignal;
  /** Preview the turn in Webchat (Socket Endpoint environments). */
  webchat?: WebchatMode;
  /** Live events of this turn, as they come. */
  onEvent?: (e: SessionEvent) => void;
  /** How long to wait for the sync after the turn ended (default 30 s); then the outcome so far is kept. */
  syncTimeoutMs?: number;
}

export interface EngineTurnResult {
  summary: TurnSummary;
  events: SessionEvent[];
}

export async function runEngineTurn(engine: SessionEngine, o: EngineTurnOptions): Promise<EngineTurnResult> {
  const events: SessionEvent[] = [];
  let turnId: string | undefined;
  // The sync's outcome is known when the server has answered for good (synced, or failed for this round);
  // the outbox's bookkeeping after that goes on in the background and is no part of the turn's record.
  let settled!: () => void;
  const syncSettled = new Promise<void>((resolve) => (settled = resolve));
  const unsubscribe = engine.subscribe((e) => {
    if (turnId === undefined && e.type === 'turn.start') turnId = e.turnId;
    if (e.turnId !== turnId) return;
    events.push(e);
    o.onEvent?.(e);
    if (e.type === 'sync' && (e.state === 'synced' || e.state === 'failed')) settled();
  });
  try {
    const summary = await engine.startTurn({ input: o.input, ...(o.scenario !== undefined ? { scenario: o.scenario } : {}), ...(o.signal ? { signal: o.signal } : {}), ...(o.webchat ? { webchat: o.webchat } : {}) });
    if (summary.sync) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        syncSettled,
        summary.sync.catch(() => undefined),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, o.syncTimeoutMs ?? 30_000);
          timer.unref();
        }),
      ]);
      if (timer) clearTimeout(timer);
    }
    return { summary, events };
  } finally {
    unsubscribe();
  }
}
