// Replay on one open session engine, for the CLI and the app alike: every cassette becomes a dialog of its
// own on that engine (the first as opened, each further one after newDialog()), so what openSession decided
// (policy, settings, sync) applies to replays exactly as to live turns. Both faces call replayOnEngine, so a
// recording passes or fails the same way in both.
import { ScenarioName } from '../../../shared/scenarios';
import type { SessionEngine } from '../session/session-engine';
import { runEngineTurn } from './engine-turn';
import { replayCassettes, type OpenReplaySession, type ReplayOptions, type ReplayReport } from './replay-runner';

export function engineReplaySessions(engine: SessionEngine): OpenReplaySession {
  let dialogs = 0;
  return async () => {
    if (dialogs++ > 0) await engine.newDialog();
    return {
      runTurn: async (req) => {
        // A recorded scenario only means something to the simulator; a real endpoint gets none.
        const s = req.scenario !== undefined && ScenarioName.safeParse(req.scenario).success ? req.scenario : undefined;
        // Webchat only speaks the Socket Endpoint: a gateway replay has no preview to compare.
        const w = req.webchat && engine.environment.kind === 'socket-endpoint' ? req.webchat : undefined;
        return (await runEngineTurn(engine, { input: req.input, ...(s ? { scenario: s } : {}), ...(w ? { webchat: w } : {}), signal: req.signal })).events;
      },
      // The engine itself stays open for the next cassette; whoever opened it closes it.
      close: async () => engine.cancelTurn(),
    };
  };
}

/** Replays cassettes on an open engine: the one replay both the CLI and the app run. */
export function replayOnEngine(paths: string[], engine: SessionEngine, opts: Omit<ReplayOptions, 'openSession'>): Promise<ReplayReport> {
  return replayCassettes(paths, { ...opts, openSession: engineReplaySessions(engine) });
}
