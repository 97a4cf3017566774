// The real wiring of the app service: environment store and keychain in the per-user data dir (the same
// one the CLI uses), the session engine over openEnvironment, one durable sync outbox per data dir, and
// the connection test. Electron main and the `ui` command both build their service from this.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ENV } from '../../../shared/environment';
import type { KeychainInfo } from '../../../shared/ipc';
import type { Policy } from '../../../shared/policy';
import { demoEnvironment } from '../environments/demo';
import { createEnvironmentStore } from '../environments/environment-store';
import { DEFAULT_FALLBACKS } from '../fallbacks';
import { parsePolicy } from '../filters';
import { KeychainUnavailableError } from '../secrets/keychain-errors';
import { createKeyringStore } from '../secrets/keyring-store';
import type { SecretStore } from '../secrets/secret-store';
import { openDemo, openEnvironment } from '../session/open-environment';
import { createSessionEngine } from '../session/session-engine';
import { createSyncService, senderForEnvironment, type SyncService } from '../session/sync-service';
import { testConnection } from '../upstreams/test-connection';
import { APP_VERSION } from '../version';
import { AppError } from './app-error';
import type { AppDeps, SessionHandle } from './app-deps';
import { createSettingsStore, defaultSettings } from './settings-store';

export interface DefaultDepsOptions {
  mode: AppDeps['mode'];
  dataDir: string;
  /** Default: the OS keychain. Tests may pass a memory store. */
  secrets?: SecretStore;
  /** Demo only: simulator speed (1 = realistic) and extra options (benchmarks). */
  demoSpeed?: number;
}

export interface DefaultDeps extends AppDeps {
  /** Stops the shared sync engine (its jobs stay in the outbox). */
  dispose(): Promise<void>;
}

// Not a valid environment name, so the probe can never read a real secret.
const PROBE_ENV = '~probe';

async function loadPolicy(path: string | undefined): Promise<Policy | undefined> {
  if (!path) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new AppError('failed', `cannot read the filter policy ${path}: ${(err as Error).message}`);
  }
  try {
    return parsePolicy(json);
  } catch (err) {
    throw new AppError('failed', `filter policy ${path}: ${(err as Error).message}`);
  }
}

export function createDefaultDeps(opts: DefaultDepsOptions): DefaultDeps {
  const { dataDir } = opts;
  const secrets = opts.secrets ?? createKeyringStore();
  const environments = createEnvironmentStore(dataDir);
  const settings = createSettingsStore(dataDir, defaultSettings(DEFAULT_FALLBACKS));
  let shared: SyncService | undefined;

  /** The user's outbox: one per data dir, resumed once when first needed. */
  function userSync(): SyncService {
    if (!shared) {
      shared = createSyncService({
        dataDir,
        senderFor: async (job) => {
          const env = await environments.get(job.environment).catch(() => undefined);
          return env && job.environment !== DEMO_ENV ? senderForEnvironment(env, secrets, job.target) : undefined;
        },
      });
      void shared.resumePending().catch(() => undefined);
    }
    return shared;
  }

  return {
    mode: opts.mode,
    version: APP_VERSION,
    dataDir,
    secrets,
    settings,
    environments: {
      list: () => environments.list(),
      get: (name) => environments.get(name),
      save: (env, o) => environments.save(env, { createOnly: !o?.replace }),
      remove: (name) => environments.remove(name),
    },
    demo: { environment: demoEnvironment(), label: 'Demo (built-in simulator)' },

    async keychainInfo(): Promise<KeychainInfo> {
      try {
        await secrets.get(PROBE_ENV, 'client-secret');
        return { available: true, store: secrets.kind };
      } catch (err) {
        if (err instanceof KeychainUnavailableError) return { available: false, store: secrets.kind, reason: err.message, fix: err.fix };
        return { available: false, store: secrets.kind, reason: (err as Error).message };
      }
    },

    async openSession(name, { fallbacks }): Promise<SessionHandle> {
      const opened = name === DEMO_ENV ? await openDemo({ speed: opts.demoSpeed }) : await openEnvironment(name, { dataDir, secrets });
      const cleanups: Array<() => Promise<unknown>> = [() => opened.close()];
      try {
        const policy = await loadPolicy(opened.environment.policyPath);
        let sync: SyncService;
        if (opened.builtIn) {
          // The demo's credentials die with the session, so its outbox does too: a temp dir, never the user's.
          const outboxDir = await mkdtemp(join(tmpdir(), 'stream-debugger-demo-'));
          cleanups.push(() => rm(outboxDir, { recursive: true, force: true }));
          sync = createSyncService({ dataDir: outboxDir, senderFor: async (job) => senderForEnvironment(opened.environment, opened.secrets, job.target) });
          cleanups.unshift(() => sync.close());
        } else {
          sync = userSync();
        }
        const engine = createSessionEngine({ environment: opened.environment, secrets: opened.secrets, policy, fallbacks, sync });
        cleanups.unshift(() => engine.close());
        return {
          sessionId: engine.sessionId,
          environment: opened.environment.name,
          upstream: opened.environment.kind,
          subscribe: (l) => engine.subscribe(l),
          startTurn: (o) => engine.startTurn(o),
          cancelTurn: () => engine.cancelTurn(),
          retrySync: (id) => engine.retrySync(id),
          pendingSyncs: () => engine.pendingSyncs(),
          async close() {
            for (const c of cleanups) await c().catch(() => undefined);
          },
        };
      } catch (err) {
        for (const c of cleanups) await c().catch(() => undefined);
        throw err;
      }
    },

    async testConnection(name, signal) {
      if (name === DEMO_ENV) {
        const demo = await openDemo({ speed: 0 });
        try {
          return await testConnection(demo.environment, demo.secrets, { signal });
        } finally {
          await demo.close();
        }
      }
      const env = await environments.get(name);
      if (!env) throw new AppError('not-found', `no environment named "${name}"`);
      return testConnection(env, secrets, { signal });
    },

    async dispose() {
      await shared?.close();
    },
  };
}
