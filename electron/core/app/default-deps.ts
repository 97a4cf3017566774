// The real wiring of the app service: environment store and keychain in the per-user data dir (the same
// one the CLI uses) behind the environment service, the session engine over openSession, and one durable
// sync outbox per data dir. Electron main and the `ui` command both build their service from this.
import { DEMO_ENV } from '../../../shared/environment';
import type { KeychainInfo } from '../../../shared/ipc';
import { demoEnvironment } from '../environments/demo';
import { createUserEnvironmentService } from '../environments/environment-service';
import { PolicyFileError } from '../filters/policy-file';
import { createKeyringStore } from '../secrets/keyring-store';
import { probeKeychain } from '../secrets/resolve-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { createUserSyncService, openSession, type OpenedSession } from '../session/open-session';
import type { SyncService } from '../session/sync-service';
import { APP_VERSION } from '../version';
import { AppError } from './app-error';
import type { AppDeps, SessionHandle } from './app-deps';
import { createUserSettings } from '../settings/settings-store';

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

export function createDefaultDeps(opts: DefaultDepsOptions): DefaultDeps {
  const { dataDir } = opts;
  const keychain = opts.secrets ?? createKeyringStore();
  const { service: environments, secrets } = createUserEnvironmentService(dataDir, { keychain });
  // Reported once on the main process's stderr (the app's log); the renderer gets working defaults.
  const settings = createUserSettings(dataDir, { onIssue: (m) => process.emitWarning(m, { code: 'SETTINGS_DAMAGED' }) });
  let shared: SyncService | undefined;

  /** The user's outbox: one per data dir, resumed once when first needed. */
  function userSync(): SyncService {
    if (!shared) {
      shared = createUserSyncService({ dataDir, secrets });
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
    environments,
    demo: { environment: demoEnvironment(), label: 'Demo (built-in simulator)', ...(opts.demoSpeed !== undefined ? { speed: opts.demoSpeed } : {}) },

    async keychainInfo(): Promise<KeychainInfo> {
      // In plain words, once: what is wrong and the fix; the platform's own text stays out of the UI.
      const probe = await probeKeychain(keychain).catch((err: unknown) => ({ available: false, error: undefined, message: (err as Error).message }));
      if (probe.available) return { available: true, store: keychain.kind };
      const what = probe.error ? probe.error.what : 'the OS keychain failed';
      return { available: false, store: keychain.kind, reason: what, ...(probe.error ? { fix: probe.error.fix } : {}) };
    },

    async openSession(name, { fallbacks, speed: askedSpeed }): Promise<SessionHandle> {
      const speed = askedSpeed ?? opts.demoSpeed;
      let session: OpenedSession;
      try {
        session = await openSession({
          env: name,
          dataDir,
          secrets,
          fallbacks,
          ...(name === DEMO_ENV ? { speed } : { sync: userSync() }),
        });
      } catch (err) {
        if (err instanceof PolicyFileError) throw new AppError('failed', err.message);
        throw err;
      }
      const { engine, opened } = session;
      return {
        sessionId: engine.sessionId,
        environment: opened.environment.name,
        upstream: opened.environment.kind,
        subscribe: (l) => engine.subscribe(l),
        startTurn: (o) => engine.startTurn(o),
        cancelTurn: () => engine.cancelTurn(),
        retrySync: (id) => engine.retrySync(id),
        outboxCounts: () => engine.outboxCounts(),
        close: () => session.close(),
        core: {
          engine,
          environment: opened.environment,
          secrets: opened.secrets,
          policy: session.policy,
          builtIn: opened.builtIn,
          ...(opened.builtIn && speed !== undefined ? { speed } : {}),
        },
      };
    },

    async dispose() {
      await shared?.close();
    },
  };
}
