// IPC handlers of QA in the app: dialog scripts, recording one, replay runs (JUnit, per-turn diff), a
// recording's sidecar assertions, compare, and the jobs that run them. Every rule comes from the core (the
// script parser, the assertion schema, replayCassettes, diffTurns); this file only connects them.
// Must never let a name reach outside the data dir's dialogs and recordings folders.
import { existsSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { AssertionProblem } from '../../../shared/qa-ipc';
import { validateAssertions } from '../../../shared/assertions';
import { sidecarPath } from '../recording/assertions';
import { createRunHistory } from '../recording/run-history';
import { AppError } from './app-error';
import type { AppDeps } from './app-deps';
import { compareEvents, startCompareJob } from './compare-job';
import { createDialogsStore, checkScript } from './dialogs-store';
import type { Handlers } from './handler-types';
import { createQaJobs, type Broadcast } from './qa-jobs';
import { startRecordJob } from './record-job';
import { createRecordingsStore } from './recordings-store';
import { replayJunit, replayTurnDiff, startReplayJob } from './replay-job';

type QaChannel = Extract<keyof Handlers, `renderer:${'dialogs' | 'replay' | 'assertions' | 'compare' | 'qa'}.${string}`>;
export type QaHandlers = Pick<Handlers, QaChannel>;

/** Every problem of an assertions file, each by its JSON path: the shared validator the CLI's loader uses. */
export function checkAssertions(text: string): AssertionProblem[] {
  if (text.trim() === '') return [];
  const r = validateAssertions(text);
  return r.ok ? [] : r.errors.map((e) => ({ path: e.path, message: e.message }));
}

export interface QaControl {
  handlers: QaHandlers;
  /** Recordings a job is writing now (listed as being recorded; not renamed or deleted meanwhile). */
  writing: Set<string>;
  close(): Promise<void>;
}

export function qaHandlers(deps: Pick<AppDeps, 'dataDir' | 'openSession' | 'settings'>, broadcast: Broadcast): QaControl {
  const dialogs = createDialogsStore(deps.dataDir);
  const recordings = createRecordingsStore(deps.dataDir);
  const jobs = createQaJobs(broadcast);
  const history = createRunHistory(deps.dataDir);
  const writing = new Set<string>();
  const sidecarOf = (id: string) => {
    const cassette = recordings.pathOf(id);
    return sidecarPath(cassette) ?? cassette.replace(/\.jsonl$/, '.assert.json');
  };

  const handlers: QaHandlers = {
    async 'renderer:dialogs.list'() {
      return { dialogs: await dialogs.list() };
    },
    async 'renderer:dialogs.read'({ name }) {
      return { name, text: await dialogs.read(name) };
    },
    async 'renderer:dialogs.check'({ text }) {
      const { turns, errors } = checkScript(text);
      return { turns, errors };
    },
    async 'renderer:dialogs.save'({ name, text }) {
      return { entry: await dialogs.save(name, text) };
    },
    async 'renderer:dialogs.delete'({ name }) {
      await dialogs.remove(name);
      return { ok: true };
    },
    async 'renderer:dialogs.record'({ name, environment, scenario }) {
      const turns = await dialogs.turns(name);
      return { job: await startRecordJob(jobs, deps, recordings, { name, turns, environment, ...(scenario ? { scenario } : {}) }, writing) };
    },
    async 'renderer:replay.start'({ ids, all, environment, scenario, speed }) {
      const chosen = all ? (await recordings.list(() => false)).filter((e) => !e.problem && !writing.has(e.id)).map((e) => e.id).sort() : ids;
      for (const id of chosen) if (writing.has(id)) throw new AppError('conflict', `"${id}" is being recorded; replay it when the recording has finished`);
      return { job: startReplayJob(jobs, deps, recordings, history, { ids: chosen, environment, ...(scenario ? { scenario } : {}), speed }) };
    },
    async 'renderer:replay.turnDiff'({ jobId, cassette, turn }) {
      return replayTurnDiff(jobs.get(jobId), cassette, turn);
    },
    async 'renderer:replay.junit'({ jobId }) {
      return replayJunit(jobs.get(jobId));
    },
    async 'renderer:replay.history'({ id }) {
      // Newest last, for a strip read left to right; the last 20 of the kept ones.
      const runs = (await history.list(recordings.pathOf(id))).slice(0, 20).reverse();
      return {
        runs: runs.map((r) => ({ at: r.at, environment: r.environment, ...(r.scenario !== undefined ? { scenario: r.scenario } : {}), source: r.source, ok: r.ok, passed: r.turns.passed, failed: r.turns.failed, errors: r.turns.errors })),
      };
    },
    async 'renderer:assertions.read'({ id }) {
      const path = sidecarOf(id);
      const exists = existsSync(path);
      return { fileName: basename(path), exists, text: exists ? await readFile(path, 'utf8') : '' };
    },
    async 'renderer:assertions.check'({ text }) {
      return { errors: checkAssertions(text) };
    },
    async 'renderer:assertions.save'({ id, text }) {
      const path = sidecarOf(id);
      if (text.trim() === '') {
        // An empty editor means no sidecar: replay then runs the default checks only.
        await unlink(path).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
        return { fileName: basename(path) };
      }
      const first = checkAssertions(text)[0];
      if (first) throw new AppError('invalid-request', `not saved: ${first.path}: ${first.message}`);
      const tmp = `${path}.tmp-${process.pid}`;
      await writeFile(tmp, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
      await rename(tmp, path);
      return { fileName: basename(path) };
    },
    async 'renderer:compare.start'({ a, b, input, dialog }) {
      if ((input === undefined) === (dialog === undefined)) throw new AppError('invalid-request', 'give either a message or a dialog script to compare');
      const turns = dialog !== undefined ? await dialogs.turns(dialog) : [{ input: input as string, line: 1 }];
      const title = dialog ?? (input as string).slice(0, 60);
      return { job: startCompareJob(jobs, deps, broadcast, { a, b, turns, title }) };
    },
    async 'renderer:compare.events'({ jobId }) {
      return compareEvents(jobs.get(jobId).keep);
    },
    async 'renderer:qa.jobs'() {
      return { jobs: jobs.list() };
    },
    async 'renderer:qa.job'({ jobId }) {
      const c = jobs.get(jobId);
      return { job: { ...c.job }, ...c.detail };
    },
    async 'renderer:qa.cancel'({ jobId }) {
      jobs.cancel(jobId);
      return { ok: true };
    },
  };
  return { handlers, writing, close: () => jobs.close() };
}
