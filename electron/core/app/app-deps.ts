// What the app service needs from the rest of the core, as narrow interfaces. The real wiring is in
// default-deps.ts; tests may pass other real parts (a temp data dir, a memory secret store).
import type { Environment } from '../../../shared/environment';
import type { KeychainInfo, Settings } from '../../../shared/ipc';
import type { EnvironmentService } from '../environments/environment-service';
import type { SecretStore } from '../secrets/secret-store';
import type { OpenSession } from '../session/open-session';
import type { SettingsStore } from '../settings/settings-store';

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
  openSession(environment: string, opts: { fallbacks: Settings['fallbacks']; speed?: number }): Promise<OpenSession>;
}
