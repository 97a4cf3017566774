// A replay session over a real session engine: what `replay` in the CLI and the app's replay runner both
// hand to replayCassettes, so a recording passes or fails identically in both. A recorded scenario the
// simulator does not know is dropped (a cassette from another tool), and a Webchat preview is asked only of
// a Socket Endpoint (a gateway replay has no preview to compare).
import type { Environment } from '../../../shared/environment';
import { ScenarioName } from '../../../shared/scenarios';
import type { SessionEngine } from '../session/session-engine';
import { runEngineTurn } from './engine-turn';
import type { ReplaySession } from './replay-runner';

export function engineReplaySession(engine: SessionEngine, environment: Pick<Environment, 'kind'>, close: () => Promise<void>): ReplaySession {
  return {
    runTurn: async (req) => {
      const s = req.scenario !== undefined && ScenarioName.safeParse(req.scenario).success ? req.scenario : undefined;
      const w = req.webchat && environment.kind === 'socket-endpoint' ? req.webchat : undefined;
      return (await runEngineTurn(engine, { input: req.input, ...(s ? { scenario: s } : {}), ...(w ? { webchat: w } : {}), signal: req.signal })).events;
    },
    close,
  };
}
