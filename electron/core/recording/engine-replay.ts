// Replay and compare on open session engines, for the CLI and the app alike: every cassette becomes a dialog
// of its own on the engine (the first as opened, each further one after newDialog()), so what openSession
// decided (policy, settings, sync) applies to replays exactly as to live turns. Both faces call these, so a
// recording passes or fails, and two environments compare, the same way in both.
import { ScenarioName } from '../../../shared/scenarios';
import type { SessionEngine } from '../session/session-engine';
import type { CompareSession, CompareSide } from './compare';
import { runEngineTurn } from './engine-turn';
import { replayCassettes, type OpenReplaySession, type ReplayOptions, type ReplayReport } from './replay-runner';
import { kindInfo } from '../../../shared/upstream-kinds';

/** One dialog on the engine as the runners see a session: turns, and a close that leaves the engine open. */
function engineSession(engine: SessionEngine): CompareSession {
  return {
    runTurn: async (req) => {
      // A recorded scenario only means something to the simulator; a real endpoint gets none.
      const s = req.scenario !== undefined && ScenarioName.safeParse(req.scenario).success ? req.scenario : undefined;
      // Webchat only speaks the Socket Endpoint: a gateway turn has no preview to compare.
      const w = req.webchat && kindInfo(engine.environment.kind).webchat ? req.webchat : undefined;
      return (await runEngineTurn(engine, { input: req.input, ...(s ? { scenario: s } : {}), ...(w ? { webchat: w } : {}), signal: req.signal, ...(req.onEvent ? { onEvent: req.onEvent } : {}) })).events;
    },
    // The engine itself stays open for the next dialog; whoever opened it closes it.
    close: async () => engine.cancelTurn(),
  };
}

export function engineReplaySessions(engine: SessionEngine): OpenReplaySession {
  let dialogs = 0;
  return async () => {
    if (dialogs++ > 0) await engine.newDialog();
    return engineSession(engine);
  };
}

/** One side of a compare on an open engine (a fresh dialog on it, so earlier turns do not colour the answers). */
export function engineCompareSide(label: string, engine: SessionEngine, o: { scenario?: string; freshDialog?: boolean } = {}): CompareSide {
  return {
    label,
    ...(o.scenario !== undefined ? { scenario: o.scenario } : {}),
    open: async () => {
      if (o.freshDialog) await engine.newDialog();
      return engineSession(engine);
    },
  };
}

/** Replays cassettes on an open engine: the one replay both the CLI and the app run. */
export function replayOnEngine(paths: string[], engine: SessionEngine, opts: Omit<ReplayOptions, 'openSession'>): Promise<ReplayReport> {
  return replayCassettes(paths, { ...opts, openSession: engineReplaySessions(engine) });
}
