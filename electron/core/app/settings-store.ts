// The app's settings (fallback messages, stall threshold, token boundaries), one JSON file in the data dir.
// Written atomically (temp file, fsync, rename) so a crash never leaves half a file. Holds no secret.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings, describeZodError } from '../../../shared/ipc';
import { DEFAULT_STALL_THRESHOLD_MS } from '../../../shared/turn-timing';
import { AppError } from './app-error';
import { writeFileAtomic } from '../util/atomic-file';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsStore {
  get(): Promise<Settings>;
  set(next: Settings): Promise<Settings>;
}

export function defaultSettings(fallbacks: Settings['fallbacks']): Settings {
  return { fallbacks: { ...fallbacks }, stallThresholdMs: DEFAULT_STALL_THRESHOLD_MS, showTokenBoundaries: true };
}

export function createSettingsStore(dataDir: string, defaults: Settings): SettingsStore {
  const file = join(dataDir, SETTINGS_FILE);
  let cached: Settings | undefined;

  async function load(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaults;
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('failed', `${file} is not valid JSON; fix or delete it`);
    }
    // Missing keys (an older file) take their defaults; wrong values are named.
    const merged = { ...defaults, ...(json as object), fallbacks: { ...defaults.fallbacks, ...((json as { fallbacks?: object }).fallbacks ?? {}) } };
    const parsed = Settings.safeParse(merged);
    if (!parsed.success) throw new AppError('failed', `${file}: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }

  return {
    async get() {
      cached ??= await load();
      return cached;
    },
    async set(next) {
      await mkdir(dataDir, { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      cached = next;
      return next;
    },
  };
}
