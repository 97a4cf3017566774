// settings.*: the app's settings (fallback messages, stall threshold, token boundaries), loaded from and
// saved through the API so the CLI and every window agree.
import { toIpcError, type DebuggerApi, type Settings } from '../../../shared/ipc';
import { DEFAULT_STALL_THRESHOLD_MS } from '../../../shared/turn-timing';
import { patch, type SliceCreator } from './types';

export const FALLBACK_SETTINGS: Settings = {
  fallbacks: { timeout: '', rateLimited: '', contentFiltered: '', generic: '' },
  stallThresholdMs: DEFAULT_STALL_THRESHOLD_MS,
  showTokenBoundaries: true,
};

export interface SettingsSlice {
  settings: {
    values: Settings;
    loaded: boolean;
    error?: string;
    load(): Promise<void>;
    update(next: Partial<Settings>): Promise<void>;
    toggleTokenBoundaries(): Promise<void>;
  };
}

export const createSettingsSlice =
  (api: DebuggerApi): SliceCreator<SettingsSlice> =>
  (set, get) => {
    const settings = (value: Partial<SettingsSlice['settings']>) => set(patch('settings', value));
    return {
      settings: {
        values: FALLBACK_SETTINGS,
        loaded: false,
        async load() {
          try {
            settings({ values: await api.invoke('renderer:settings.get', {}), loaded: true, error: undefined });
          } catch (err) {
            settings({ error: toIpcError(err).message, loaded: true });
          }
        },
        async update(next) {
          const before = get().settings.values;
          const values = { ...before, ...next };
          settings({ values });
          try {
            settings({ values: await api.invoke('renderer:settings.set', values), error: undefined });
          } catch (err) {
            settings({ values: before, error: toIpcError(err).message });
          }
        },
        async toggleTokenBoundaries() {
          await get().settings.update({ showTokenBoundaries: !get().settings.values.showTokenBoundaries });
        },
      },
    };
  };
