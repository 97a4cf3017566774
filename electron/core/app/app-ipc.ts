// IPC handlers of the app and settings domains: version, mode, data dir, keychain state; settings.
import type { Handlers } from './handler-types';
import type { AppDeps } from './app-deps';

type AppHandlers = Pick<Handlers, 'renderer:app.info' | 'renderer:settings.get' | 'renderer:settings.set'>;

export function appHandlers(deps: AppDeps): AppHandlers {
  return {
    async 'renderer:app.info'() {
      return { version: deps.version, mode: deps.mode, dataDir: deps.dataDir, keychain: await deps.keychainInfo() };
    },
    async 'renderer:settings.get'() {
      return deps.settings.get();
    },
    async 'renderer:settings.set'(settings) {
      return deps.settings.set(settings);
    },
  };
}
