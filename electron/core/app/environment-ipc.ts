// IPC handlers of the environments domain: list, save (incl. rename), duplicate, delete, write-only secrets,
// test connection. Secrets move main-side only (rename, duplicate); no handler returns a secret value.
import { DEMO_ENV, SECRET_KINDS, type Environment, type SecretKind, type SecretStatus } from '../../../shared/environment';
import type { EnvironmentEntry } from '../../../shared/ipc';
import { KeychainUnavailableError } from '../secrets/keychain-errors';
import { secretTarget } from '../secrets/secret-binding';
import { AppError } from './app-error';
import type { AppDeps } from './app-deps';
import type { Handlers } from './handler-types';

type EnvironmentHandlers = Pick<
  Handlers,
  'renderer:env.list' | 'renderer:env.save' | 'renderer:env.duplicate' | 'renderer:env.delete' | 'renderer:env.setSecret' | 'renderer:env.clearSecret' | 'renderer:env.test'
>;

const DEMO_SECRETS: SecretStatus = { 'client-secret': 'set', 'api-key': 'set' };

export function environmentHandlers(deps: AppDeps): EnvironmentHandlers {
  const notBuiltIn = (name: string, what: string) => {
    if (name === DEMO_ENV) throw new AppError('conflict', `"${DEMO_ENV}" is the built-in simulator environment and cannot be ${what}; duplicate settings into a new environment instead`);
  };
  const existing = async (name: string): Promise<Environment> => {
    const env = await deps.environments.get(name);
    if (!env) throw new AppError('not-found', `no environment named "${name}"`);
    return env;
  };
  const entryOf = async (environment: Environment): Promise<EnvironmentEntry> => ({
    environment,
    builtIn: false,
    label: environment.name,
    secrets: await deps.secrets.status(environment.name),
  });
  /**
   * Runs keychain steps; an unreachable keychain comes back as the error instead of being thrown, so each
   * handler can decide with the secret index whether anything is actually left behind.
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
        const value = await deps.secrets.get(from, kind);
        if (value !== undefined) await deps.secrets.set(to, kind, value);
      }
    });
  const deleteSecrets = (name: string) =>
    unlessUnreachable(async () => {
      for (const kind of SECRET_KINDS) await deps.secrets.delete(name, kind);
    });
  // Where each secret may be sent (secret-binding.ts): follows the secret on duplicate and rename, and a
  // changed target detaches it. The renderer can change hosts, never a binding.
  const bindings = deps.secrets.bindings;
  const bindingOf = async (env: Environment, kind: SecretKind) => (await bindings?.get(env.name, kind)) ?? secretTarget(env, kind);
  const carryBindings = async (from: Environment, to: string) => {
    for (const kind of SECRET_KINDS) await bindings?.set(to, kind, await bindingOf(from, kind));
  };
  const forgetBindings = async (name: string) => {
    for (const kind of SECRET_KINDS) await bindings?.set(name, kind, undefined);
  };
  /** The secrets of `env` whose target is no longer the one they were entered for are removed (re-entered by the user). */
  const detachMoved = async (before: Environment, after: Environment) => {
    for (const kind of SECRET_KINDS) {
      const was = await bindingOf(before, kind);
      if (was === undefined || was === secretTarget(after, kind)) continue;
      const gone = await unlessUnreachable(async () => {
        await deps.secrets.delete(after.name, kind);
      });
      // Unreachable keychain: the binding stays, so the secret is still refused for the new target.
      if (!gone) await bindings?.set(after.name, kind, undefined);
    }
  };
  const known = (name: string) => deps.secretIndex.stored(name);
  const listed = (kinds: SecretKind[]) => kinds.join(' and ');

  return {
    async 'renderer:env.list'() {
      const stored = (await deps.environments.list()).filter((e) => e.name !== DEMO_ENV).sort((a, b) => a.name.localeCompare(b.name));
      const demo: EnvironmentEntry = { environment: deps.demo.environment, builtIn: true, label: deps.demo.label, secrets: DEMO_SECRETS };
      return { environments: [demo, ...(await Promise.all(stored.map(entryOf)))] };
    },

    async 'renderer:env.save'({ environment, previousName }) {
      notBuiltIn(environment.name, 'saved');
      const renaming = previousName !== undefined && previousName !== environment.name;
      const before = previousName !== undefined ? await existing(previousName) : undefined;
      if ((previousName === undefined || renaming) && (await deps.environments.get(environment.name))) {
        throw new AppError('conflict', `an environment named "${environment.name}" already exists`);
      }
      const saved = await deps.environments.save({ ...environment, createdAt: before?.createdAt }, { replace: !renaming && before !== undefined });
      if (renaming && previousName !== undefined && before) await carryBindings(before, environment.name);
      if (renaming && previousName !== undefined) {
        const kept = await known(previousName);
        const unreachable = await copySecrets(previousName, environment.name);
        if (unreachable && kept.length) {
          // The secret cannot move along: keep the old name rather than strand its secret under it.
          await deps.environments.remove(environment.name);
          throw new AppError('keychain-unavailable', `"${previousName}" was not renamed: ${unreachable.summary}, so its ${listed(kept)} cannot move to the new name. Rename it once the keychain works.`);
        }
        if (!unreachable) await deleteSecrets(previousName);
        await deps.environments.remove(previousName);
        await forgetBindings(previousName);
      }
      if (before) await detachMoved({ ...before, name: saved.name }, saved);
      return { entry: await entryOf(saved) };
    },

    async 'renderer:env.duplicate'({ name, newName }) {
      notBuiltIn(name, 'duplicated');
      notBuiltIn(newName, 'overwritten');
      const source = await existing(name);
      if (await deps.environments.get(newName)) throw new AppError('conflict', `an environment named "${newName}" already exists`);
      const saved = await deps.environments.save({ ...source, name: newName, createdAt: undefined, updatedAt: undefined });
      await carryBindings(source, newName);
      const unreachable = await copySecrets(name, newName);
      const kept = unreachable ? await known(name) : [];
      const notice = kept.length ? `Settings copied to "${newName}", but its ${listed(kept)} could not be copied: ${unreachable!.summary}. Enter it for "${newName}" once the keychain works.` : undefined;
      return { entry: await entryOf(saved), ...(notice ? { notice } : {}) };
    },

    async 'renderer:env.delete'({ name, keepSecrets }) {
      notBuiltIn(name, 'deleted');
      await existing(name);
      // keepSecrets (the CLI's --keep-secrets): only the settings go; the keychain is not even asked.
      const unreachable = keepSecrets ? undefined : await deleteSecrets(name);
      const kept = keepSecrets || unreachable ? await known(name) : [];
      if (unreachable && kept.length) {
        // Never strand a secret silently, never leave the user stuck: the renderer offers keepSecrets.
        throw new AppError('keychain-unavailable', `"${name}" was not deleted: ${unreachable.summary}, so its ${listed(kept)} cannot be removed. Delete only the settings and keep the secret in the keychain, or keep the environment until the keychain works.`);
      }
      await deps.environments.remove(name);
      if (!kept.length) await forgetBindings(name);
      return { ok: true, secretsKept: kept };
    },

    async 'renderer:env.setSecret'({ name, kind, value }) {
      notBuiltIn(name, 'given secrets');
      const env = await existing(name);
      await deps.secrets.set(name, kind, value);
      // Entered now, for where the environment points now.
      await bindings?.set(name, kind, secretTarget(env, kind));
      return { secrets: await deps.secrets.status(name) };
    },

    async 'renderer:env.clearSecret'({ name, kind }) {
      notBuiltIn(name, 'changed');
      await existing(name);
      await deps.secrets.delete(name, kind);
      await bindings?.set(name, kind, undefined);
      return { secrets: await deps.secrets.status(name) };
    },

    async 'renderer:env.test'({ name }) {
      if (name !== DEMO_ENV) await existing(name);
      return deps.testConnection(name);
    },
  };
}
