// What the app service needs from the rest of the core, as narrow interfaces. The real wiring is in
// default-deps.ts; tests may pass other real parts (a temp data dir, a memory secret store).
import type { Environment } from '../../../shared/environment';
import type { SessionEvent, UpstreamKind } from '../../../shared/events';
import type { KeychainInfo, Settings } from '../../../shared/ipc';
import type { ScenarioName } from '../../../shared/scenarios';
import type { WebchatMode } from '../../../shared/webchat';
import type { Policy } from '../../../shared/policy';
import type { EnvironmentService } from '../environments/environment-service';
import type { SecretStore } from '../secrets/secret-store';
import type { SessionEngine } from '../session/session-engine';
import type { SettingsStore } from '../settings/settings-store';

/** What recording and the relay need of a session: the engine itself and how it was opened. */
export interface SessionCore {
  engine: SessionEngine;
  environment: Environment;
  /** The store the environment's secrets came from (the recorder reads them once to keep them out). */
  secrets: SecretStore;
  policy?: Policy;
  /** The built-in demo (its simulator's scenario/speed go into a cassette header). */
  builtIn: boolean;
  speed?: number;
}

/** One open session: the session engine's surface that the UI drives. */
export interface SessionHandle {
  readonly sessionId: string;
  readonly environment: string;
  readonly upstream: UpstreamKind;
  subscribe(listener: (event: SessionEvent) => void): () => void;
  /** Resolves at the end of the turn (its events tell how it went). */
  startTurn(opts: { input: string; scenario?: ScenarioName; /** Simulator extension (benchmarks). */ repeat?: number; webchat?: WebchatMode; /** Socket Endpoint: send the user's typing state. */ userTyping?: boolean }): Promise<unknown>;
  cancelTurn(): void;
  retrySync(syncId: string): Promise<void>;
  outboxCounts(): { pending: number; failed: number };
  close(): Promise<void>;
  /** Absent for sessions that are not backed by a core engine (then recording and the relay refuse). */
  readonly core?: SessionCore;
}

export interface AppDeps {
  mode: 'electron' | 'browser';
  version: string;
  dataDir: string;
  /** The user's secret store (the OS keychain); never the demo's. */
  secrets: SecretStore;
  /** The environment lifecycle, the same service the CLI's `env` uses. */
  environments: EnvironmentService;
  settings: SettingsStore;
  /** The built-in environment that runs the simulator in-process. */
  demo: { environment: Environment; label: string; /** Simulator pacing (tests, benches); default realistic. */ speed?: number };
  keychainInfo(): Promise<KeychainInfo>;
  /** speed: demo only, the simulator's pacing for this session (a replay at its recorded pace or at once). */
  openSession(environment: string, opts: { fallbacks: Settings['fallbacks']; speed?: number }): Promise<SessionHandle>;
}
