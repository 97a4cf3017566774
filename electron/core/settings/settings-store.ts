// The user's settings (fallback messages, stall threshold, token boundaries), one JSON file in the data dir,
// read alike by the app, the CLI and the relay (openSession reads it when its caller passes no fallbacks).
// Written atomically (temp file, fsync, rename) so a crash never leaves half a file. Holds no secret.
// A damaged file must not block anything (the demo included): the defaults apply, the problem is reported
// once (never quoting the file), and the file is kept — set aside, not overwritten, when new settings are saved.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Settings, describeZodError } from '../../../shared/ipc';
import { DEFAULT_STALL_THRESHOLD_MS } from '../../../shared/turn-timing';
import { DEFAULT_FALLBACKS } from '../fallbacks';
import { writeFileAtomic } from '../util/atomic-file';
import { jsonErrorPosition } from '../util/json-error';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsStore {
  get(): Promise<Settings>;
  set(next: Settings): Promise<Settings>;
}

export function defaultSettings(fallbacks: Settings['fallbacks']): Settings {
  return { fallbacks: { ...fallbacks }, stallThresholdMs: DEFAULT_STALL_THRESHOLD_MS, showTokenBoundaries: true };
}

/** settings.json cannot be used as it is (not JSON, or a value of the wrong shape): the message names why. */
export class SettingsFileError extends Error {
  override name = 'SettingsFileError';
}

export interface SettingsStoreOptions {
  /** Told once when settings.json cannot be used (the defaults apply instead). */
  onIssue?: (message: string) => void;
}

export function createSettingsStore(dataDir: string, defaults: Settings, opts: SettingsStoreOptions = {}): SettingsStore {
  const file = join(dataDir, SETTINGS_FILE);
  let cached: Settings | undefined;
  /** The file on disk is damaged: keep a copy of it before the first save replaces it. */
  let damaged = false;

  async function loadOrDefaults(): Promise<Settings> {
    try {
      return await load();
    } catch (err) {
      if (!(err instanceof SettingsFileError)) throw err;
      damaged = true;
      opts.onIssue?.(`${err.message}; the default settings are used until you save new ones (the file is kept)`);
      return defaults;
    }
  }

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
    } catch (err) {
      throw new SettingsFileError(`${file} is not valid JSON${jsonErrorPosition(err)}`);
    }
    // Missing keys (an older file) take their defaults; wrong values are named.
    const merged = { ...defaults, ...(json as object), fallbacks: { ...defaults.fallbacks, ...((json as { fallbacks?: object }).fallbacks ?? {}) } };
    const parsed = Settings.safeParse(merged);
    if (!parsed.success) throw new SettingsFileError(`${file}: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }

  return {
    async get() {
      cached ??= await loadOrDefaults();
      return cached;
    },
    async set(next) {
      await mkdir(dataDir, { recursive: true });
      if (damaged) {
        const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await copyFile(file, aside).catch(() => undefined);
        opts.onIssue?.(`the damaged ${file} was kept as ${aside}`);
        damaged = false;
      }
      await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
      cached = next;
      return next;
    },
  };
}

/** The user's settings in `dataDir`, with the product's defaults for anything not saved. */
export function createUserSettings(dataDir: string, opts: SettingsStoreOptions = {}): SettingsStore {
  return createSettingsStore(dataDir, defaultSettings(DEFAULT_FALLBACKS), opts);
}
