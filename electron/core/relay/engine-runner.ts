// Builds the relay's turn runner from a session engine: one session is one dialog, so turns run one at a
// time in arrival order. Shared by the `relay` command and the app's relay toggle.
// Must never run two turns of one engine at once.
import type { SessionEngine } from '../session/session-engine';
import { runEngineTurn } from '../recording/engine-turn';
import type { RelayTurnRunner } from './relay-server';
import { createSerial } from '../util/serial';

export function createEngineTurnRunner(engine: SessionEngine): RelayTurnRunner {
  const serial = createSerial();
  return (req, emit) =>
    serial(async () => {
      if (req.signal.aborted) return;
      // syncTimeoutMs 0: the relay's turn ends with the answer; the sync settles in the background.
      await runEngineTurn(engine, { input: req.input, ...(req.scenario ? { scenario: req.scenario } : {}), signal: req.signal, onEvent: emit, syncTimeoutMs: 0 });
    });
}
