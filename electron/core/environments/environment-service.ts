// The lifecycle of the user's environments, once for the app and the CLI: create, edit (incl. rename),
// duplicate, delete with or without its secrets, write-only secrets, connection test. Secrets move here,
// main-side (rename, duplicate), and follow their bindings (where each may be sent, secret-binding.ts); a
// changed target detaches them. An unreachable keychain never strands a secret silently and never leaves
// the user stuck: the secret index says whether anything is actually left behind. Returns no secret value.
// The faces (environment-ipc.ts, cli/commands/env.ts) only translate requests and errors.
import { SECRET_KINDS, type Environment, type EnvironmentInput, type SecretKind, type SecretStatus } from '../../../shared/environment';
import type { ConnectionReport } from '../../../shared/ipc';
import { KeychainUnavailableError } from '../secrets/keychain-errors';
import { createKeyringStore } from '../secrets/keyring-store';
import { secretTarget, withBindings } from '../secrets/secret-binding';
import { createSecretIndex, withSecretIndex, type SecretIndex } from '../secrets/secret-index';
import type { SecretStore } from '../secrets/secret-store';
import { openDemo } from '../session/open-environment';
import { testConnection } from '../upstreams/test-connection';
import { isReservedName } from './demo';
import { createEnvironmentStore, EnvironmentFileError, type EnvironmentScan, type EnvironmentStore } from './environment-store';
import { EnvironmentInputError } from './validate-environment';

/** A secret that stays in an unreachable keychain would be stranded by the change, so nothing was changed. */
export class SecretsStuckError extends Error {
  override name = 'SecretsStuckError';
  readonly code = 'keychain-unavailable';
  constructor(
    readonly environment: string,
    /** The secrets known to be stored under `environment`. */
    readonly kinds: SecretKind[],
    readonly keychain: KeychainUnavailableError,
    message: string,
  ) {
    super(message);
  }
}

export interface EnvironmentServiceDeps {
  store: EnvironmentStore;
  /** The user's secret store (keychain, with the index and bindings attached), never the demo's. */
  secrets: SecretStore;
  /** Which secrets are known to be stored, for when the keychain cannot be asked. */
  secretIndex: SecretIndex;
  /** Test connection's signal when none is given; default 20 s. */
  testTimeoutMs?: number;
}

export interface RemoveResult {
  /** Removed from the keychain now. */
  secretsRemoved: SecretKind[];
  /** Known to stay in the keychain under this name (keepSecrets). */
  secretsKept: SecretKind[];
}

export interface EnvironmentService {
  /** The built-in demo first, stored environments by name, and the files that could not be loaded. */
  scan(): Promise<EnvironmentScan>;
  /** The environment (the demo's description for `demo`); EnvironmentInputError not-found when there is none. */
  get(name: string): Promise<Environment>;
  status(name: string): Promise<SecretStatus>;
  create(input: EnvironmentInput): Promise<Environment>;
  /** Edits `previousName`; a new name renames it, and its secrets and bindings move along. */
  update(previousName: string, input: EnvironmentInput): Promise<Environment>;
  /** notice: the settings were copied but a secret could not be (the keychain cannot be reached). */
  duplicate(name: string, newName: string): Promise<{ environment: Environment; notice?: string }>;
  /** keepSecrets: only the settings go; the keychain is not even asked. */
  remove(name: string, opts?: { keepSecrets?: boolean }): Promise<RemoveResult>;
  setSecret(name: string, kind: SecretKind, value: string): Promise<SecretStatus>;
  /** True if a secret was stored. */
  clearSecret(name: string, kind: SecretKind): Promise<boolean>;
  /** Token / connect; the demo against its in-process simulator. Reports, never throws for the upstream. */
  test(name: string, signal?: AbortSignal): Promise<ConnectionReport>;
}

const BUILT_IN: Record<'changed' | 'duplicated' | 'overwritten' | 'removed' | 'secrets', string> = {
  changed: 'cannot be changed (add a new environment with the settings you want)',
  duplicated: 'cannot be duplicated (add a new environment instead)',
  overwritten: 'cannot be overwritten (choose another name)',
  removed: 'cannot be removed',
  secrets: 'makes up its credentials per run and has no secrets',
};

export function notBuiltIn(name: string, what: keyof typeof BUILT_IN): void {
  if (isReservedName(name)) throw new EnvironmentInputError('reserved', `"${name}" is the built-in demo environment: it ${BUILT_IN[what]}`);
}

/**
 * The user's environments in `dataDir` over the keychain (default: the OS keychain), with the secret index
 * and bindings attached — how the app and the CLI's changing subcommands reach them.
 */
export function createUserEnvironmentService(dataDir: string, opts: { keychain?: SecretStore; store?: EnvironmentStore } = {}): { service: EnvironmentService; secrets: SecretStore; secretIndex: SecretIndex } {
  const secretIndex = createSecretIndex(dataDir);
  const secrets = withBindings(withSecretIndex(opts.keychain ?? createKeyringStore(), secretIndex), dataDir);
  return { service: createEnvironmentService({ store: opts.store ?? createEnvironmentStore(dataDir), secrets, secretIndex }), secrets, secretIndex };
}

const listed = (kinds: SecretKind[]) => kinds.join(' and ');

export function createEnvironmentService(deps: EnvironmentServiceDeps): EnvironmentService {
  const { store, secrets, secretIndex } = deps;
  const bindings = secrets.bindings;

  const existing = async (name: string): Promise<Environment> => {
    const env = await store.get(name);
    if (!env) throw new EnvironmentInputError('not-found', `no environment named "${name}"`);
    return env;
  };
  const nameFree = async (name: string) => {
    if (await store.get(name)) throw new EnvironmentInputError('exists', `an environment named "${name}" already exists`);
  };
  /**
   * Runs keychain steps; an unreachable keychain comes back as the error instead of being thrown, so each
   * step can decide with the secret index whether anything is actually left behind.
   */
  const unlessUnreachable = async (steps: () => Promise<void>): Promise<KeychainUnavailableError | undefined> => {
    try {
      await steps();
      return undefined;
    } catch (err) {
      if (err instanceof KeychainUnavailableError) return err;
      throw err;
    }
  };
  const copySecrets = (from: string, to: string) =>
    unlessUnreachable(async () => {
      for (const kind of SECRET_KINDS) {
        const value = await secrets.get(from, kind);
        if (value !== undefined) await secrets.set(to, kind, value);
      }
    });
  const deleteSecrets = async (name: string, removed: SecretKind[] = []) =>
    unlessUnreachable(async () => {
      for (const kind of SECRET_KINDS) if (await secrets.delete(name, kind)) removed.push(kind);
    });
  const bindingOf = async (env: Environment, kind: SecretKind) => (await bindings?.get(env.name, kind)) ?? secretTarget(env, kind);
  const carryBindings = async (from: Environment, to: string) => {
    for (const kind of SECRET_KINDS) await bindings?.set(to, kind, await bindingOf(from, kind));
  };
  const forgetBindings = async (name: string) => {
    for (const kind of SECRET_KINDS) await bindings?.set(name, kind, undefined);
  };
  /** The secrets whose target is no longer the one they were entered for are removed (re-entered by the user). */
  const detachMoved = async (before: Environment, after: Environment) => {
    for (const kind of SECRET_KINDS) {
      const was = await bindingOf(before, kind);
      if (was === undefined || was === secretTarget(after, kind)) continue;
      const gone = await unlessUnreachable(async () => {
        await secrets.delete(after.name, kind);
      });
      // Unreachable keychain: the binding stays, so the secret is still refused for the new target.
      if (!gone) await bindings?.set(after.name, kind, undefined);
    }
  };
  const known = (name: string) => secretIndex.stored(name);

  return {
    scan: () => store.scan(),
    get: existing,
    status: (name) => secrets.status(name),

    async create(input) {
      // The store refuses the reserved name itself ("reserved for the built-in demo environment").
      if (!isReservedName(input.name)) await nameFree(input.name);
      return store.save(input, { createOnly: true });
    },

    async update(previousName, input) {
      notBuiltIn(previousName, 'changed');
      notBuiltIn(input.name, 'overwritten');
      const before = await existing(previousName);
      const renaming = previousName !== input.name;
      if (!renaming) {
        const saved = await store.save({ ...input, createdAt: before.createdAt });
        await detachMoved(before, saved);
        return saved;
      }
      await nameFree(input.name);
      const saved = await store.save({ ...input, createdAt: before.createdAt }, { createOnly: true });
      await carryBindings(before, saved.name);
      const kept = await known(previousName);
      const unreachable = await copySecrets(previousName, saved.name);
      if (unreachable && kept.length) {
        // The secret cannot move along: keep the old name rather than strand its secret under it.
        await store.remove(saved.name);
        await forgetBindings(saved.name);
        throw new SecretsStuckError(previousName, kept, unreachable, `"${previousName}" was not renamed: ${unreachable.summary}, so its ${listed(kept)} cannot move to the new name. Rename it once the keychain works.`);
      }
      if (!unreachable) await deleteSecrets(previousName);
      await store.remove(previousName);
      await forgetBindings(previousName);
      await detachMoved({ ...before, name: saved.name }, saved);
      return saved;
    },

    async duplicate(name, newName) {
      notBuiltIn(name, 'duplicated');
      notBuiltIn(newName, 'overwritten');
      const source = await existing(name);
      await nameFree(newName);
      const saved = await store.save({ ...source, name: newName, createdAt: undefined, updatedAt: undefined }, { createOnly: true });
      await carryBindings(source, newName);
      const unreachable = await copySecrets(name, newName);
      const kept = unreachable ? await known(name) : [];
      const notice = kept.length ? `Settings copied to "${newName}", but its ${listed(kept)} could not be copied: ${unreachable!.summary}. Enter it for "${newName}" once the keychain works.` : undefined;
      return { environment: saved, ...(notice ? { notice } : {}) };
    },

    async remove(name, opts = {}) {
      notBuiltIn(name, 'removed');
      // A file that no longer parses can still be removed: the user named it explicitly.
      const exists = await store.get(name).then(Boolean, (err) => (err instanceof EnvironmentFileError ? true : Promise.reject(err)));
      if (!exists) throw new EnvironmentInputError('not-found', `no environment named "${name}"`);
      const removed: SecretKind[] = [];
      const unreachable = opts.keepSecrets ? undefined : await deleteSecrets(name, removed);
      const kept = opts.keepSecrets || unreachable ? await known(name) : [];
      if (unreachable && kept.length) {
        throw new SecretsStuckError(name, kept, unreachable, `could not remove the secrets of "${name}" (its ${listed(kept)} cannot be removed: ${unreachable.summary}), so the environment was kept.`);
      }
      await store.remove(name);
      if (!kept.length) await forgetBindings(name);
      return { secretsRemoved: removed, secretsKept: kept };
    },

    async setSecret(name, kind, value) {
      notBuiltIn(name, 'secrets');
      const env = await existing(name);
      await secrets.set(name, kind, value);
      // Entered now, for where the environment points now.
      await bindings?.set(name, kind, secretTarget(env, kind));
      return secrets.status(name);
    },

    async clearSecret(name, kind) {
      notBuiltIn(name, 'secrets');
      await existing(name);
      const had = await secrets.delete(name, kind);
      await bindings?.set(name, kind, undefined);
      return had;
    },

    async test(name, signal = AbortSignal.timeout(deps.testTimeoutMs ?? 20_000)) {
      if (isReservedName(name)) {
        const demo = await openDemo({ speed: 0 });
        try {
          return await testConnection(demo.environment, demo.secrets, { signal });
        } finally {
          await demo.close();
        }
      }
      return testConnection(await existing(name), secrets, { signal });
    },
  };
}
