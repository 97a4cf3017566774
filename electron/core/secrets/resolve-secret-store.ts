// Picks the SecretStore for a run: the OS keychain whenever it can be reached; the environment-variable
// fallback only when the user opted in (`--secret-from-env` or STREAM_DEBUGGER_SECRETS_FROM_ENV=1). Without
// the opt-in an unreachable keychain is an error naming the cause and the fix — never a silent downgrade.
import type { SecretStore } from './secret-store';
import { createKeyringStore } from './keyring-store';
import { KeychainUnavailableError, type KeychainUnavailableReason } from './keychain-errors';
import { createEnvFallbackStore, defaultWarn } from './env-fallback-store';

export const SECRETS_FROM_ENV_VAR = 'STREAM_DEBUGGER_SECRETS_FROM_ENV';

export interface ResolveSecretStoreOptions {
  /** `--secret-from-env` was given. STREAM_DEBUGGER_SECRETS_FROM_ENV=1 in `env` has the same effect. */
  allowEnvFallback?: boolean;
  /** The environment the fallback reads (and the opt-in variable is looked up in); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Notices about the fallback; default stderr. */
  warn?: (message: string) => void;
  /** The keychain to try first (default createKeyringStore()). */
  keychain?: SecretStore;
}

/** True when the user opted in to the environment-variable fallback. */
export function envFallbackAllowed(opts: Pick<ResolveSecretStoreOptions, 'allowEnvFallback' | 'env'>): boolean {
  return Boolean(opts.allowEnvFallback) || (opts.env ?? process.env)[SECRETS_FROM_ENV_VAR] === '1';
}

// Not a valid environment name (those start with a letter or digit), so it can never read a real secret.
const PROBE_ENV = '~probe';

export interface KeychainProbe {
  available: boolean;
  reason?: KeychainUnavailableReason;
  fix?: string;
  /** The error, for callers that print it. */
  error?: KeychainUnavailableError;
}

/** Whether the keychain can be reached at all (a missing entry is looked up; nothing is stored). */
export async function probeKeychain(keychain: SecretStore = createKeyringStore()): Promise<KeychainProbe> {
  try {
    await keychain.get(PROBE_ENV, 'client-secret');
    return { available: true };
  } catch (err) {
    if (!(err instanceof KeychainUnavailableError)) throw err;
    const error = err.withAction('reach the OS keychain');
    return { available: false, reason: error.reason, fix: error.fix, error };
  }
}

/**
 * Resolves the store. Throws KeychainUnavailableError when the keychain cannot be reached and the fallback
 * is not allowed. A locked keychain is only noticed when a secret is read (looking up a missing entry does
 * not need an unlock); with the fallback allowed such a read then falls back to the environment variable.
 */
export async function resolveSecretStore(opts: ResolveSecretStoreOptions = {}): Promise<SecretStore> {
  const env = opts.env ?? process.env;
  const warn = opts.warn ?? defaultWarn;
  const allowed = envFallbackAllowed(opts);
  const keychain = opts.keychain ?? createKeyringStore();
  const probe = await probeKeychain(keychain);
  if (probe.error) {
    if (!allowed) throw probe.error;
    warn(`keychain unavailable [${probe.error.reason}]: secrets come from environment variables for this run (--secret-from-env); they cannot be stored.`);
    return createEnvFallbackStore(env, { warn });
  }
  return allowed ? createLayeredStore(keychain, createEnvFallbackStore(env, { warn })) : keychain;
}

/**
 * Keychain first, then the (read-only) fallback: reads try the keychain and use the environment variable
 * when the keychain has no value or is locked; writes and deletes go to the keychain only.
 */
export function createLayeredStore(keychain: SecretStore, fallback: SecretStore): SecretStore {
  return {
    kind: keychain.kind,
    lastUnavailable: () => keychain.lastUnavailable?.(),
    async get(environment, kind) {
      let keychainError: KeychainUnavailableError | undefined;
      try {
        const v = await keychain.get(environment, kind);
        if (v !== undefined) return v;
      } catch (err) {
        if (!(err instanceof KeychainUnavailableError)) throw err;
        keychainError = err;
      }
      const v = await fallback.get(environment, kind);
      if (v === undefined && keychainError) throw keychainError;
      return v;
    },
    set: (environment, kind, value) => keychain.set(environment, kind, value),
    delete: (environment, kind) => keychain.delete(environment, kind),
    async status(environment) {
      const [k, f] = await Promise.all([keychain.status(environment), fallback.status(environment)]);
      return {
        'client-secret': k['client-secret'] === 'set' || f['client-secret'] === 'set' ? 'set' : k['client-secret'],
        'api-key': k['api-key'] === 'set' || f['api-key'] === 'set' ? 'set' : k['api-key'],
      };
    },
  };
}

/**
 * A store resolved on first use (then the same one for the run): for a run that may never need a secret,
 * so that a missing keychain only matters if a secret is actually asked for.
 */
export function createDeferredStore(resolve: () => Promise<SecretStore>): SecretStore {
  let store: Promise<SecretStore> | undefined;
  const get = () => (store ??= resolve());
  return {
    kind: 'keychain',
    lastUnavailable: () => undefined,
    get: async (environment, kind) => (await get()).get(environment, kind),
    set: async (environment, kind, value) => (await get()).set(environment, kind, value),
    delete: async (environment, kind) => (await get()).delete(environment, kind),
    async status(environment) {
      try {
        return await (await get()).status(environment);
      } catch (err) {
        if (!(err instanceof KeychainUnavailableError)) throw err;
        return { 'client-secret': 'unavailable', 'api-key': 'unavailable' };
      }
    },
  };
}
