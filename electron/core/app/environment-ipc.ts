// IPC handlers of the environments domain: the app's face of the environment service (list, save incl.
// rename, duplicate, delete, write-only secrets, test connection). The lifecycle and its checks live in
// core/environments/environment-service.ts, shared with the CLI; here only requests and answers are shaped.
// No handler returns a secret value.
import { type Environment, type SecretStatus } from '../../../shared/environment';
import type { EnvironmentEntry } from '../../../shared/ipc';
import { SecretsStuckError } from '../environments/environment-service';
import { AppError } from './app-error';
import type { AppDeps } from './app-deps';
import type { Handlers } from './handler-types';

type EnvironmentHandlers = Pick<
  Handlers,
  'renderer:env.list' | 'renderer:env.save' | 'renderer:env.duplicate' | 'renderer:env.delete' | 'renderer:env.setSecret' | 'renderer:env.clearSecret' | 'renderer:env.test'
>;

const DEMO_SECRETS: SecretStatus = { 'client-secret': 'set', 'api-key': 'set' };

export function environmentHandlers(deps: AppDeps): EnvironmentHandlers {
  const service = deps.environments;
  const entryOf = async (environment: Environment): Promise<EnvironmentEntry> => ({
    environment,
    builtIn: false,
    label: environment.name,
    secrets: await service.status(environment.name),
  });

  return {
    async 'renderer:env.list'() {
      const { environments, problems } = await service.scan();
      // The list is all or nothing for the renderer: a damaged file is named instead of silently missing.
      if (problems[0]) throw problems[0];
      const stored = environments.filter((e) => !e.builtIn).map(({ builtIn: _b, ...e }) => e);
      const demo: EnvironmentEntry = { environment: deps.demo.environment, builtIn: true, label: deps.demo.label, secrets: DEMO_SECRETS };
      return { environments: [demo, ...(await Promise.all(stored.map(entryOf)))] };
    },

    async 'renderer:env.save'({ environment, previousName }) {
      const saved = previousName === undefined ? await service.create(environment) : await service.update(previousName, environment);
      return { entry: await entryOf(saved) };
    },

    async 'renderer:env.duplicate'({ name, newName }) {
      const { environment, notice } = await service.duplicate(name, newName);
      return { entry: await entryOf(environment), ...(notice ? { notice } : {}) };
    },

    async 'renderer:env.delete'({ name, keepSecrets }) {
      try {
        const { secretsKept } = await service.remove(name, { keepSecrets });
        return { ok: true, secretsKept };
      } catch (err) {
        // Never strand a secret silently, never leave the user stuck: the renderer offers keepSecrets.
        if (err instanceof SecretsStuckError) {
          throw new AppError('keychain-unavailable', `${err.message} Delete only the settings and keep the secret in the keychain, or keep the environment until the keychain works.`);
        }
        throw err;
      }
    },

    async 'renderer:env.setSecret'({ name, kind, value }) {
      return { secrets: await service.setSecret(name, kind, value) };
    },

    async 'renderer:env.clearSecret'({ name, kind }) {
      await service.clearSecret(name, kind);
      return { secrets: await service.status(name) };
    },

    async 'renderer:env.test'({ name }) {
      return service.test(name);
    },
  };
}
