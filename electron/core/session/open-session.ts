// Everything it takes to run turns against an environment by name, in one place for the CLI and the app:
// open the environment (demo or stored), load its filter policy, attach a sync service (the demo gets a
// throwaway outbox in memory, stored environments the user's durable one), and build the engine.
import type { Policy } from '../../../shared/policy';
import type { ScenarioName } from '../../../shared/scenarios';
import { createEnvironmentStore } from '../environments/environment-store';
import { createUserSettings } from '../settings/settings-store';
import type { FallbackMessages } from '../fallbacks';
import { loadPolicyFile } from '../filters/policy-file';
import { withBindings } from '../secrets/secret-binding';
import type { SecretStore } from '../secrets/secret-store';
import { openEnvironment, type OpenedEnvironment } from './open-environment';
import { createSessionEngine, type SessionEngine } from './session-engine';
import { createSyncService, senderForEnvironment, type SyncService } from './sync-service';

export interface OpenSessionOptions {
  env: string;
  dataDir: string;
  /** Secret store for stored environments; resolved (keychain first) when absent. */
  secrets?: SecretStore;
  allowEnvFallback?: boolean;
  processEnv?: NodeJS.ProcessEnv;
  /** Demo only: the simulator's default scenario and speed. */
  scenario?: ScenarioName;
  speed?: number;
  /** Policy file; default: the environment's own, else the default policy. */
  policyPath?: string;
  /** Fallback messages; absent = the user's saved settings (settings.json in dataDir), else the defaults. */
  fallbacks?: FallbackMessages;
  idleTimeoutMs?: number;
  /**
   * false: no sync. A SyncService: use it (the app's one shared outbox). Absent/true: the user's durable
   * outbox in dataDir, created for this session and resumed in the background.
   */
  sync?: boolean | SyncService;
  /** Things a human should hear about (outbox problems). */
  notice?: (text: string) => void;
}

export interface OpenedSession {
  opened: OpenedEnvironment;
  engine: SessionEngine;
  sync?: SyncService;
  /** The filter policy in force, undefined = default. */
  policy?: Policy;
  close(): Promise<void>;
}

/** The user's durable outbox in dataDir, with senders for any stored environment a job names. */
export function createUserSyncService(o: { dataDir: string; secrets: SecretStore; notice?: (text: string) => void; lockTimeoutMs?: number }): SyncService {
  const store = createEnvironmentStore(o.dataDir);
  const secrets = withBindings(o.secrets, o.dataDir);
  return createSyncService({
    dataDir: o.dataDir,
    lockTimeoutMs: o.lockTimeoutMs,
    onIssue: (issue) => o.notice?.(`outbox: ${issue.message}`),
    senderFor: async (job) => {
      const env = await store.get(job.environment).catch(() => undefined);
      return env ? senderForEnvironment(env, secrets, job.target) : undefined;
    },
  });
}

/** The fallback messages the user saved (a damaged settings file is said once and the defaults apply). */
async function savedFallbacks(dataDir: string, notice?: (text: string) => void): Promise<FallbackMessages> {
  const store = createUserSettings(dataDir, { onIssue: (m) => notice?.(`settings: ${m}`) });
  return (await store.get()).fallbacks;
}

export async function openSession(o: OpenSessionOptions): Promise<OpenedSession> {
  const opened = await openEnvironment(o.env, {
    dataDir: o.dataDir,
    secrets: o.secrets,
    allowEnvFallback: o.allowEnvFallback,
    processEnv: o.processEnv,
    scenario: o.scenario,
    speed: o.speed,
  });
  const cleanups: Array<() => Promise<unknown>> = [() => opened.close()];
  const closeAll = async () => {
    for (const c of cleanups) await c().catch(() => undefined);
  };
  try {
    const policyPath = o.policyPath ?? opened.environment.policyPath;
    const policy = policyPath ? await loadPolicyFile(policyPath) : undefined;
    let sync: SyncService | undefined;
    if (o.sync !== false) {
      if (opened.builtIn) {
        // The demo's simulator and credentials die with the run, so its outbox does too: in memory, never the user's.
        const own = createSyncService({ memoryOnly: true, senderFor: async (job) => senderForEnvironment(opened.environment, opened.secrets, job.target) });
        cleanups.unshift(() => own.close());
        sync = own;
      } else if (typeof o.sync === 'object') {
        sync = o.sync;
      } else {
        const own = createUserSyncService({ dataDir: o.dataDir, secrets: opened.secrets, notice: o.notice });
        cleanups.unshift(() => own.close());
        // Syncs an earlier run could not finish go out now, in the background: a job may have to wait out a
        // Retry-After; if this run ends first it simply stays in the outbox for the next one.
        void own.resumePending().catch((err: unknown) => o.notice?.(`outbox: ${(err as Error).message}`));
        sync = own;
      }
    }
    const engine = createSessionEngine({
      environment: opened.environment,
      secrets: opened.secrets,
      policy,
      // The CLI, the relay and every window read the same settings: what the user saved applies everywhere.
      fallbacks: o.fallbacks ?? (await savedFallbacks(o.dataDir, o.notice)),
      idleTimeoutMs: o.idleTimeoutMs,
      sync,
    });
    cleanups.unshift(() => engine.close());
    return { opened, engine, sync, policy, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
