// The run history of each recording: the last replays (when, on which environment, pass or fail, how many
// turns and checks passed), so a QA engineer sees when a dialog started failing. Written by `replay` (CLI)
// and the app, read by both. One file per recording under `<dataDir>/history/`, written atomically under a
// short inter-process lock, so a damaged file costs that recording's history only — it is reported, set
// aside on the next write, never silently emptied — and two processes never lose each other's runs.
// Holds no secret and no answer text: names, times, counts.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { formatAssertionIssues } from '../../../shared/assertions';
import { zodIssues } from '../../../shared/policy-schema';
import { withFileLock } from '../sync/file-lock';
import { currentOwner, registerInstance } from '../sync/owner';
import { writeFileAtomic } from '../util/atomic-file';
import { jsonErrorPosition } from '../util/json-error';
import type { CassetteReplayResult } from './replay-runner';
import { createSerial } from '../util/serial';

export const HISTORY_FORMAT = 'cognigy-stream-debugger.history';
/** Runs kept per recording; older ones go first. */
export const HISTORY_LIMIT = 50;

const Counts = z.strictObject({ passed: z.number().int().nonnegative(), failed: z.number().int().nonnegative() });

export const RunEntry = z.strictObject({
  /** When the run started, ISO 8601. */
  at: z.string(),
  /** Environment name the recording was replayed on (never its credentials). */
  environment: z.string(),
  /** Simulator scenario the replay forced, if any. */
  scenario: z.string().optional(),
  source: z.enum(['cli', 'app']),
  ok: z.boolean(),
  turns: z.strictObject({ total: z.number().int().nonnegative(), passed: z.number().int().nonnegative(), failed: z.number().int().nonnegative(), errors: z.number().int().nonnegative() }),
  /** Per check name (`text`, `ttft`, `assert.maxGap`, …): how many turns passed and failed it. */
  checks: z.record(z.string(), Counts),
  durationMs: z.number().nonnegative(),
  /** The cassette or its sidecar could not be used (the reason, as the replay reported it). */
  error: z.string().optional(),
});
export type RunEntry = z.infer<typeof RunEntry>;

const HistoryFile = z.strictObject({
  format: z.literal(HISTORY_FORMAT),
  version: z.literal(1),
  /** The recording's absolute path, so a listing of the folder says whose history a file is. */
  cassette: z.string(),
  runs: z.array(RunEntry),
});
type HistoryFile = z.infer<typeof HistoryFile>;

export class HistoryFileError extends Error {
  override name = 'HistoryFileError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RunHistoryOptions {
  limit?: number;
  /** A damaged history file was set aside so a new run could be kept (say so to the user). */
  onIssue?: (message: string) => void;
  lockTimeoutMs?: number;
}

export interface RunHistory {
  readonly dir: string;
  /** Keeps one run of the recording at `cassettePath` (newest last on disk; the oldest beyond the limit go). */
  append(cassettePath: string, entry: RunEntry): Promise<void>;
  /** The recording's runs, newest first; [] when it has none. A damaged file is a HistoryFileError naming it. */
  list(cassettePath: string): Promise<RunEntry[]>;
  /** The recording was renamed or moved: its history goes with it. */
  move(fromPath: string, toPath: string): Promise<void>;
  /** The file that holds (or would hold) a recording's history. */
  fileOf(cassettePath: string): Promise<string>;
}

/** The history is the user's record of runs: a replay interrupted before a cassette ran is no run of it. */
export function isRun(result: CassetteReplayResult, interrupted: boolean): boolean {
  return !(interrupted && result.turns.every((t) => t.error));
}

/** A run's entry from a replay result; only counts and names go in, never texts. */
export function runEntryOf(result: CassetteReplayResult, meta: { environment: string; source: RunEntry['source']; scenario?: string }): RunEntry {
  const checks: Record<string, { passed: number; failed: number }> = {};
  for (const t of result.turns) {
    for (const c of t.checks) {
      const k = (checks[c.check] ??= { passed: 0, failed: 0 });
      if (c.ok) k.passed++;
      else k.failed++;
    }
  }
  return {
    at: result.startedAt,
    environment: meta.environment,
    ...(meta.scenario !== undefined ? { scenario: meta.scenario } : {}),
    source: meta.source,
    ok: result.ok,
    turns: {
      total: result.turns.length,
      passed: result.turns.filter((t) => t.ok).length,
      failed: result.turns.filter((t) => !t.ok && !t.error).length,
      errors: result.turns.filter((t) => t.error).length,
    },
    checks,
    durationMs: result.timeMs,
    ...(result.error ? { error: result.error } : {}),
  };
}

/** The key of a recording: its real absolute path (the folder's, when the file is gone: renamed or deleted). */
async function canonical(p: string): Promise<string> {
  const abs = resolve(p);
  return realpath(abs).catch(async () => join(await realpath(dirname(abs)).catch(() => dirname(abs)), basename(abs)));
}

export function createRunHistory(dataDir: string, opts: RunHistoryOptions = {}): RunHistory {
  const dir = resolve(dataDir, 'history');
  const limit = opts.limit ?? HISTORY_LIMIT;
  const instance = `history-${randomUUID()}`;
  registerInstance(instance);
  const owner = currentOwner(instance);
  // One read-modify-write at a time inside this process; the file lock orders it against other processes.
  const serial = createSerial();

  async function fileOf(cassettePath: string): Promise<string> {
    const key = createHash('sha256').update(await canonical(cassettePath)).digest('hex').slice(0, 32);
    return join(dir, `${key}.json`);
  }

  async function read(file: string): Promise<HistoryFile | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new HistoryFileError(file, `cannot read the run history ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new HistoryFileError(file, `the run history ${file} is damaged: invalid JSON${jsonErrorPosition(err)}`);
    }
    const parsed = HistoryFile.safeParse(json);
    if (!parsed.success) {
      throw new HistoryFileError(file, `the run history ${file} is damaged: ${formatAssertionIssues(zodIssues(parsed.error).slice(0, 3))}`);
    }
    return parsed.data;
  }

  async function update(file: string, cassette: string, change: (runs: RunEntry[]) => RunEntry[]): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await withFileLock(
      `${file}.lock`,
      async () => {
        let current: HistoryFile | undefined;
        try {
          current = await read(file);
        } catch (err) {
          if (!(err instanceof HistoryFileError)) throw err;
          const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
          await rename(file, aside);
          opts.onIssue?.(`${err.message}; it was moved to ${aside} and a new history was started`);
        }
        const runs = change(current?.runs ?? []).slice(-limit);
        const doc: HistoryFile = { format: HISTORY_FORMAT, version: 1, cassette, runs };
        await writeFileAtomic(file, `${JSON.stringify(doc, null, 1)}\n`);
      },
      { owner, ...(opts.lockTimeoutMs !== undefined ? { timeoutMs: opts.lockTimeoutMs } : {}) },
    );
  }

  return {
    dir,
    fileOf,
    async append(cassettePath, entry) {
      const parsed = RunEntry.safeParse(entry);
      if (!parsed.success) throw new Error(`not a run history entry: ${formatAssertionIssues(zodIssues(parsed.error))}`);
      const checked = parsed.data;
      return serial(async () => {
        const cassette = await canonical(cassettePath);
        await update(await fileOf(cassettePath), cassette, (runs) => [...runs, checked]);
      });
    },
    async list(cassettePath) {
      const doc = await read(await fileOf(cassettePath));
      return doc ? [...doc.runs].reverse() : [];
    },
    move(fromPath, toPath) {
      return serial(async () => {
        const from = await fileOf(fromPath);
        const to = await fileOf(toPath);
        if (from === to) return;
        const doc = await read(from);
        if (!doc) return;
        const cassette = await canonical(toPath);
        await update(to, cassette, (runs) => [...doc.runs, ...runs].sort((a, b) => a.at.localeCompare(b.at)));
        await rm(from, { force: true });
      });
    },
  };
}
