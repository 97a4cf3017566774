// The recordings folder (`<dataDir>/recordings/*.jsonl`): list, read, rename, delete and import cassettes.
// Every id is checked against the contract's strict file-name pattern before it touches a path, and the
// resolved path must stay directly inside the folder, so no request can reach another file.
// Must never write a file that the cassette reader would refuse (imports are parsed first).
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { RECORDING_ID_PATTERN, RECORDING_NAME_PATTERN, type RecordingEntry } from '../../../shared/recordings-ipc';
import { CassetteError, parseCassette, type CassetteReadResult } from '../recording/cassette-reader';
import { AppError } from './app-error';
import { namedFiles } from './named-files';

export interface RecordingsStore {
  readonly dir: string;
  /** Absolute path of a recording; throws invalid-request for anything but a plain, valid file name. */
  pathOf(id: string): string;
  /** A new, unused id from a base name (made safe). */
  freshId(base: string): Promise<string>;
  list(isRecording: (id: string) => boolean): Promise<RecordingEntry[]>;
  entry(id: string, recording?: boolean): Promise<RecordingEntry>;
  /** Reads and parses one recording; a bad file is an invalid-request error naming the line. */
  read(id: string): Promise<{ text: string; cassette: CassetteReadResult }>;
  rename(id: string, name: string): Promise<string>;
  remove(id: string): Promise<void>;
  /** Checks the text with the cassette reader, then writes it under a fresh id. */
  importText(fileName: string, text: string): Promise<{ id: string; warnings: string[] }>;
}

const stem = (id: string) => id.replace(/\.jsonl$/, '');

/** A file name from the user (or another machine) turned into a valid recording name. */
export function safeName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/\.jsonl$/i, '')
    .replace(/[^A-Za-z0-9_. -]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[ .-]+/, '')
    .trim()
    .slice(0, 90)
    .trim();
  return RECORDING_NAME_PATTERN.test(cleaned) ? cleaned : 'recording';
}

export function createRecordingsStore(dataDir: string): RecordingsStore {
  const folder = namedFiles(resolve(dataDir, 'recordings'), { kind: 'recording', idWord: 'recording id', valid: (f) => RECORDING_ID_PATTERN.test(f) });
  const { dir } = folder;
  const pathOf = (id: string) => folder.pathOf(id);

  async function exists(p: string): Promise<boolean> {
    return stat(p).then(
      () => true,
      () => false,
    );
  }

  const readText = (id: string) => folder.readText(id);

  async function entry(id: string, recording = false): Promise<RecordingEntry> {
    const p = pathOf(id);
    const [text, st] = await Promise.all([readText(id), stat(p)]);
    const base: RecordingEntry = { id, name: stem(id), createdAt: st.mtime.toISOString(), turns: 0, size: st.size, redacted: false, recording };
    try {
      const c = parseCassette(text, id);
      const starts = c.events.filter((e) => e.type === 'turn.start');
      // The scenarios the turns ran (the header only has the simulator's default).
      const scenarios = [...new Set(starts.map((e) => e.scenario ?? c.header.scenario).filter((x): x is string => Boolean(x)))];
      const scenario = scenarios.length ? scenarios.join(', ') : c.header.scenario;
      return {
        ...base,
        createdAt: c.header.createdAt,
        turns: starts.length,
        environment: c.header.environment.name,
        upstream: c.header.upstream,
        ...(scenario !== undefined ? { scenario } : {}),
        redacted: c.header.redacted,
      };
    } catch (err) {
      // Just started: the header may not be on disk yet. A finished file that does not parse says why.
      if (recording) return base;
      return { ...base, problem: (err as Error).message };
    }
  }

  async function freshId(name: string): Promise<string> {
    const b = safeName(name);
    for (let i = 1; ; i++) {
      const id = `${i === 1 ? b : `${b}-${i}`}.jsonl`;
      if (!(await exists(pathOf(id)))) return id;
    }
  }

  return {
    dir,
    pathOf,
    freshId,
    entry,
    async list(isRecording) {
      const names = await folder.files();
      const entries = await Promise.all(names.map((id) => entry(id, isRecording(id)).catch(() => undefined)));
      return entries.filter((e): e is RecordingEntry => e !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    },
    async read(id) {
      const text = await readText(id);
      try {
        return { text, cassette: parseCassette(text, id) };
      } catch (err) {
        if (err instanceof CassetteError) throw new AppError('invalid-request', err.message);
        throw err;
      }
    },
    async rename(id, name) {
      const from = pathOf(id);
      if (!RECORDING_NAME_PATTERN.test(name)) throw new AppError('invalid-request', `not a valid recording name: ${JSON.stringify(name).slice(0, 120)}`);
      const newId = `${name}.jsonl`;
      const to = pathOf(newId);
      if (newId === id) return id;
      if (!(await exists(from))) throw new AppError('not-found', `no recording "${id}"`);
      if (await exists(to)) throw new AppError('conflict', `a recording named "${name}" already exists`);
      await rename(from, to);
      return newId;
    },
    remove: (id) => folder.remove(id),
    async importText(fileName, text) {
      const shown = basename(fileName.replace(/\\/g, '/'));
      let parsed: CassetteReadResult;
      try {
        parsed = parseCassette(text, shown);
      } catch (err) {
        if (err instanceof CassetteError) throw new AppError('invalid-request', `cannot import: ${err.message}`);
        throw err;
      }
      await mkdir(dir, { recursive: true });
      for (let attempt = 0; ; attempt++) {
        const id = await freshId(fileName);
        try {
          await writeFile(join(dir, id), text, { flag: 'wx', mode: 0o600 });
          return { id, warnings: parsed.warnings };
        } catch (err) {
          // Another import took the name in between: pick the next one.
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 5) throw err;
        }
      }
    },
  };
}
