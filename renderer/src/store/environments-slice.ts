// environments.*: the list (with secret status only: set / not set), the one picked for the session, the
// editor, connection tests. Secret values pass through `setSecret` straight to the API and are never stored
// here or anywhere else in the renderer.
import { DEMO_ENV, type EnvironmentInput, type SecretKind } from '../../../shared/environment';
import { toIpcError, type ConnectionReport, type DebuggerApi, type EnvironmentEntry, type IpcError } from '../../../shared/ipc';
import { patch, type SliceCreator } from './types';

export type ConnectionTest = { state: 'running' } | { state: 'done'; report: ConnectionReport; at: number } | { state: 'error'; message: string };

export interface EnvironmentsSlice {
  environments: {
    entries: EnvironmentEntry[];
    loaded: boolean;
    /** The environment the session runs against. */
    selected: string;
    /** Editor: name of the environment open in it, '' for a new one, undefined when closed. */
    editing?: string;
    /** Bumped when the user opens another environment (or a new one) in the editor: the form's key. Saving a
     * new environment keeps it, so a secret that could not be stored stays in its input. */
    editorKey: number;
    busy: boolean;
    error?: string;
    /** Something the user should know that is not a failure (e.g. a secret that could not be copied). */
    notice?: string;
    /** A delete that could not remove a secret (unreachable keychain): the user decides. */
    pendingDelete?: { name: string; message: string };
    tests: Record<string, ConnectionTest>;
    load(): Promise<void>;
    select(name: string): Promise<void>;
    edit(name: string | undefined): void;
    save(environment: EnvironmentInput, previousName?: string): Promise<boolean>;
    duplicate(name: string, newName: string): Promise<boolean>;
    /** keepSecrets: delete only the settings (the secrets stay in the keychain). */
    remove(name: string, keepSecrets?: boolean): Promise<boolean>;
    /** Write-only: the value goes to the keychain through the API and is not kept. */
    setSecret(name: string, kind: SecretKind, value: string): Promise<boolean>;
    /**
     * After saving settings: stores the secrets typed with them. Returns the kinds that could not be stored
     * (the form keeps those inputs) and says "settings saved, secret not stored" for them.
     */
    storeTyped(name: string, typed: Array<[SecretKind, string]>): Promise<SecretKind[]>;
    clearSecret(name: string, kind: SecretKind): Promise<boolean>;
    test(name: string): Promise<void>;
    clearError(): void;
    cancelDelete(): void;
  };
}

const LAST_ENV_KEY = 'stream-debugger.environment';

function remembered(): string | undefined {
  try {
    return localStorage.getItem(LAST_ENV_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function remember(name: string): void {
  try {
    localStorage.setItem(LAST_ENV_KEY, name);
  } catch {
    // Storage may be unavailable (privacy mode); the choice is then only for this run.
  }
}

export const createEnvironmentsSlice =
  (api: DebuggerApi): SliceCreator<EnvironmentsSlice> =>
  (set, get) => {
    const env = (value: Partial<EnvironmentsSlice['environments']>) => set(patch('environments', value));
    const upsert = (entry: EnvironmentEntry, replaced?: string) => {
      const entries = get().environments.entries.filter((e) => e.environment.name !== entry.environment.name && e.environment.name !== replaced);
      const builtIn = entries.filter((e) => e.builtIn);
      const rest = [...entries.filter((e) => !e.builtIn), entry].sort((a, b) => a.environment.name.localeCompare(b.environment.name));
      env({ entries: [...builtIn, ...rest] });
    };
    /** After a failure: the list as it is on disk (a half-done action may have changed it) and, when the
     * keychain was the problem, its status (the one place that shows the fix). */
    const resync = async (code: string) => {
      try {
        const { environments } = await api.invoke('renderer:env.list', {});
        env({ entries: environments });
      } catch {
        // The failure itself is already shown; a list that cannot be read is the next action's message.
      }
      if (code === 'keychain-unavailable') await get().ui.loadInfo();
    };
    const run = async (what: () => Promise<void>, onError?: (e: IpcError) => boolean): Promise<boolean> => {
      env({ busy: true, error: undefined, notice: undefined });
      try {
        await what();
        return true;
      } catch (err) {
        const e = toIpcError(err);
        if (!onError?.(e)) env({ error: e.message });
        await resync(e.code);
        return false;
      } finally {
        env({ busy: false });
      }
    };
    const setSecrets = (name: string, secrets: EnvironmentEntry['secrets']) => {
      env({ entries: get().environments.entries.map((e) => (e.environment.name === name ? { ...e, secrets } : e)) });
    };

    return {
      environments: {
        entries: [],
        loaded: false,
        selected: DEMO_ENV,
        editorKey: 0,
        busy: false,
        tests: {},
        async load() {
          await run(async () => {
            const { environments } = await api.invoke('renderer:env.list', {});
            const last = remembered();
            const selected = get().environments.loaded ? get().environments.selected : last && environments.some((e) => e.environment.name === last) ? last : DEMO_ENV;
            env({ entries: environments, loaded: true, selected });
          });
        },
        async select(name) {
          remember(name);
          env({ selected: name });
          await get().session.open(name);
        },
        edit(name) {
          env({ editing: name, error: undefined, notice: undefined, pendingDelete: undefined, editorKey: get().environments.editorKey + 1 });
        },
        save(environment, previousName) {
          return run(async () => {
            const { entry } = await api.invoke('renderer:env.save', { environment: environment, previousName });
            upsert(entry, previousName);
            env({ editing: entry.environment.name });
            if (previousName && previousName !== entry.environment.name && get().environments.selected === previousName) env({ selected: entry.environment.name });
          });
        },
        duplicate(name, newName) {
          return run(async () => {
            const { entry, notice } = await api.invoke('renderer:env.duplicate', { name, newName });
            upsert(entry);
            get().environments.edit(entry.environment.name);
            if (notice) env({ notice });
          });
        },
        remove(name, keepSecrets) {
          env({ pendingDelete: undefined });
          return run(
            async () => {
              const { secretsKept } = await api.invoke('renderer:env.delete', { name, ...(keepSecrets ? { keepSecrets } : {}) });
              const entries = get().environments.entries.filter((e) => e.environment.name !== name);
              const { [name]: _gone, ...tests } = get().environments.tests;
              env({ entries, tests, editing: undefined, editorKey: get().environments.editorKey + 1 });
              if (secretsKept.length) env({ notice: `Deleted the settings of “${name}”; its ${secretsKept.join(' and ')} stayed in the keychain.` });
              if (get().environments.selected === name) await get().environments.select(DEMO_ENV);
            },
            // A secret that cannot be removed: ask (delete only the settings, or keep the environment).
            (e) => {
              if (e.code !== 'keychain-unavailable' || keepSecrets) return false;
              env({ pendingDelete: { name, message: e.message } });
              return true;
            },
          );
        },
        async storeTyped(name, typed) {
          const failed: SecretKind[] = [];
          let reason: string | undefined;
          for (const [kind, value] of typed) {
            try {
              const { secrets } = await api.invoke('renderer:env.setSecret', { name, kind, value });
              setSecrets(name, secrets);
            } catch (err) {
              const e = toIpcError(err);
              failed.push(kind);
              reason ??= e.message;
              await resync(e.code);
            }
          }
          if (failed.length) env({ error: `Settings saved, secret not stored: ${reason ?? 'the keychain did not take it'}. What you typed is still in the field: save again once the keychain works.` });
          return failed;
        },
        setSecret(name, kind, value) {
          return run(async () => {
            const { secrets } = await api.invoke('renderer:env.setSecret', { name, kind, value });
            setSecrets(name, secrets);
          });
        },
        clearSecret(name, kind) {
          return run(async () => {
            const { secrets } = await api.invoke('renderer:env.clearSecret', { name, kind });
            setSecrets(name, secrets);
          });
        },
        async test(name) {
          const tests = (t: ConnectionTest) => env({ tests: { ...get().environments.tests, [name]: t } });
          tests({ state: 'running' });
          try {
            const report = await api.invoke('renderer:env.test', { name });
            tests({ state: 'done', report, at: Date.now() });
          } catch (err) {
            tests({ state: 'error', message: toIpcError(err).message });
          }
        },
        clearError() {
          env({ error: undefined, notice: undefined });
        },
        cancelDelete() {
          env({ pendingDelete: undefined });
        },
      },
    };
  };
