// Everything it takes to run turns against an environment by name, in one place for the CLI and the app:
// open the environment (demo or stored), load its filter policy, attach a sync service (the demo gets a
// throwaway outbox in memory, stored environments the user's durable one), and build the engine.
import type { Environment } from '../../../shared/environment';
import type { Policy } from '../../../shared/policy';
import { createEnvironmentStore } from '../environments/environment-store';
import { createUserSettings } from '../settings/settings-store';
import type { FallbackMessages } from '../fallbacks';
import { loadPolicyFile } from '../filters/policy-file';
import { withBindings } from '../secrets/secret-binding';
import type { SecretStore } from '../secrets/secret-store';
import { openEnvironment, type OpenEnvironmentOptions } from './open-environment';
import { createSessionEngine, type SessionEngine } from './session-engine';
import { createSyncService, senderForEnvironment, type SyncService } from './sync-service';

/** What opening the environment takes (data dir, secrets, the demo's scenario and speed), plus the session's own. */
export interface OpenSessionOptions extends Omit<OpenEnvironmentOptions, 'simulator'> {
  env: string;
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

/**
 * One open session — the one handle the app, the CLI, the relay, recording and replay hold: the engine that
 * runs its turns (SessionEngine: the turn machine alone, which knows nothing of how it was opened), what it
 * was opened on, the settings it applies, and one close for all of it.
 */
export interface OpenSession {
  readonly engine: SessionEngine;
  readonly environment: Environment;
  /** The store the environment's secrets came from (the recorder reads them once to keep them out). */
  readonly secrets: SecretStore;
  /** The built-in demo (its simulator's scenario and speed go into a cassette header). */
  readonly builtIn: boolean;
  /** Demo only: the simulator's pacing, when one was asked for. */
  readonly speed?: number;
  /** The filter policy in force, undefined = default. */
  readonly policy?: Policy;
  /** The fallback messages this session shows (the caller's, else the user's saved settings). */
  readonly fallbacks: FallbackMessages;
  readonly dataDir: string;
  readonly sync?: SyncService;
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

export async function openSession(o: OpenSessionOptions): Promise<OpenSession> {
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
    // The CLI, the relay and every window read the same settings: what the user saved applies everywhere.
    const fallbacks = o.fallbacks ?? (await savedFallbacks(o.dataDir, o.notice));
    const engine = createSessionEngine({
      environment: opened.environment,
      secrets: opened.secrets,
      policy,
      fallbacks,
      idleTimeoutMs: o.idleTimeoutMs,
      sync,
    });
    cleanups.unshift(() => engine.close());
    return {
      engine,
      environment: opened.environment,
      secrets: opened.secrets,
      builtIn: opened.builtIn,
      ...(opened.builtIn && o.speed !== undefined ? { speed: o.speed } : {}),
      policy,
      fallbacks,
      dataDir: o.dataDir,
      sync,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
