// Builds the relay's turn runner from a session engine: one session is one dialog, so turns run one at a
// time in arrival order. Shared by the `relay` command and the app's relay toggle.
// Must never run two turns of one engine at once.
import type { SessionEngine } from '../session/session-engine';
import { runEngineTurn } from '../recording/engine-turn';
import type { RelayTurnRunner } from './relay-server';

export function createEngineTurnRunner(engine: SessionEngine): RelayTurnRunner {
  let queue: Promise<unknown> = Promise.resolve();
  return (req, emit) => {
    const run = queue.then(async () => {
      if (req.signal.aborted) return;
      // syncTimeoutMs 0: the relay's turn ends with the answer; the sync settles in the background.
      await runEngineTurn(engine, { input: req.input, ...(req.scenario ? { scenario: req.scenario } : {}), signal: req.signal, onEvent: emit, syncTimeoutMs: 0 });
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
