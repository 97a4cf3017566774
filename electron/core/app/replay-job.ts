// The app's replay runner: the CLI's `replay` on the same core (replayCassettes, the same checks,
// tolerances and sidecar assertions, the same session glue), run as a QA job so its progress, verdicts and
// JUnit reach every window. Cassettes are named by recording id; paths never leave main.
// Must never compute a verdict itself: every pass/fail comes from the core's checks.
import { basename } from 'node:path';
import { DEMO_ENV } from '../../../shared/environment';
import type { ReplayCassetteData, ReplayResultData, ReplayTurnData } from '../../../shared/qa-ipc';
import type { ScenarioName } from '../../../shared/scenarios';
import { diffTurns } from '../recording/cassette-diff';
import { replayOnEngine } from '../recording/engine-replay';
import { junitXml } from '../recording/junit';
import type { CassetteReplayResult, ReplayReport, ReplayTurnResult } from '../recording/replay-runner';
import { isRun, runEntryOf, type RunHistory } from '../recording/run-history';
import { similarity } from '../recording/text-diff';
import { answerText, countedUsage } from '../recording/turns';
import { AppError } from './app-error';
import type { AppDeps } from './app-deps';
import type { JobControl, QaJobs } from './qa-jobs';
import type { RecordingsStore } from './recordings-store';

export interface ReplayRequest {
  ids: string[];
  environment: string;
  scenario?: ScenarioName;
  speed: 'recorded' | 'fast';
}

const idOf = (path: string) => basename(path);

export function turnData(cassette: number, path: string, t: ReplayTurnResult): ReplayTurnData {
  const rt = countedUsage(t.recorded.usage)?.total;
  const pt = countedUsage(t.replayed?.usage)?.total;
  return {
    cassette,
    id: idOf(path),
    index: t.index,
    input: t.input,
    ...(t.scenario !== undefined ? { scenario: t.scenario } : {}),
    ok: t.ok,
    ...(t.error !== undefined ? { error: t.error } : {}),
    checks: t.checks.map((c) => ({ check: c.check, ok: c.ok, expected: c.expected, got: c.got, ...(c.diff !== undefined ? { diff: c.diff } : {}) })),
    ...(t.replayed ? { similarity: similarity(answerText(t.recorded), answerText(t.replayed)) } : {}),
    ttftMs: { ...(t.recorded.ttftMs !== undefined ? { recorded: t.recorded.ttftMs } : {}), ...(t.replayed?.ttftMs !== undefined ? { replayed: t.replayed.ttftMs } : {}) },
    totalTokens: { ...(rt !== undefined ? { recorded: rt } : {}), ...(pt !== undefined ? { replayed: pt } : {}) },
    timeMs: t.timeMs,
  };
}

export function cassetteData(c: CassetteReplayResult): ReplayCassetteData {
  return {
    id: idOf(c.path),
    ok: c.ok,
    ...(c.error !== undefined ? { error: c.error } : {}),
    warnings: c.warnings,
    ...(c.assertionsPath ? { assertions: basename(c.assertionsPath) } : {}),
    turns: c.turns.length,
  };
}

/** The report as the CLI sees it when run inside the recordings folder (`replay x.jsonl`): paths are file names. */
export function asRunInFolder(report: ReplayReport): ReplayReport {
  return { ...report, cassettes: report.cassettes.map((c) => ({ ...c, path: idOf(c.path), ...(c.assertionsPath ? { assertionsPath: basename(c.assertionsPath) } : {}) })) };
}

export function startReplayJob(jobs: QaJobs, deps: Pick<AppDeps, 'openSession' | 'settings'>, store: RecordingsStore, history: RunHistory, req: ReplayRequest) {
  if (req.ids.length === 0) throw new AppError('invalid-request', 'pick at least one recording to replay');
  const paths = req.ids.map((id) => store.pathOf(id));
  const title = req.ids.length === 1 ? (req.ids[0] as string).replace(/\.jsonl$/, '') : `${req.ids.length} recordings`;
  return jobs.start({ kind: 'replay', title, environment: req.environment }, async (c: JobControl) => {
    const { fallbacks } = await deps.settings.get();
    const result: ReplayResultData = { ok: false, cassettes: [], turns: [], totals: { cassettes: 0, turns: 0, passed: 0, failed: 0, errors: 0 } };
    c.detail.replay = result;
    const progress = { cassettes: { done: 0, total: paths.length }, turns: { done: 0, total: 0 } };
    c.update({ progress });
    // Demo only: the simulator plays at the pace the (first) recording was made at, or as fast as it can.
    const speed = req.environment === DEMO_ENV ? (req.speed === 'fast' ? 0 : await recordedSpeed(store, req.ids[0] as string)) : undefined;
    const handle = await deps.openSession(req.environment, { fallbacks, ...(speed !== undefined ? { speed } : {}) });
    const kept: Array<Promise<void>> = [];
    try {
      const { engine } = handle;
      let cassetteIndex = 0;
      // The one replay the CLI runs too (every cassette a dialog of its own on this session).
      const report = await replayOnEngine(paths, engine, {
        ...(req.scenario ? { scenario: req.scenario } : {}),
        signal: c.signal,
        keepEvents: false,
        onCassetteStart: ({ path, index, turns }) => {
          cassetteIndex = index;
          progress.turns.total += turns;
          c.update({ progress: { ...progress, current: idOf(path) } });
        },
        onTurn: ({ path, turn }) => {
          progress.turns.done++;
          const data = turnData(cassetteIndex, path, turn);
          result.turns.push(data);
          c.update({ progress: { ...progress, current: idOf(path) } }, { turn: data });
        },
        onCassette: (r) => {
          progress.cassettes.done++;
          const data = cassetteData(r);
          result.cassettes.push(data);
          c.update({ progress: { ...progress } }, { cassette: data });
          if (isRun(r, c.signal.aborted)) {
            const entry = runEntryOf(r, { environment: req.environment, source: 'app', ...(req.scenario ? { scenario: req.scenario } : {}) });
            kept.push(history.append(r.path, entry).catch((err: unknown) => result.cassettes.find((x) => x.id === data.id)?.warnings.push(`this run was not kept in its history: ${(err as Error).message}`)) as Promise<void>);
          }
        },
      });
      result.ok = report.ok && !c.signal.aborted;
      result.totals = report.totals;
      c.keep.report = report;
    } finally {
      await Promise.all(kept);
      await handle.close();
    }
  });
}

async function recordedSpeed(store: RecordingsStore, id: string): Promise<number> {
  try {
    return (await store.read(id)).cassette.header.speed ?? 1;
  } catch {
    return 1;
  }
}

function reportOf(c: JobControl): ReplayReport {
  const report = c.keep.report as ReplayReport | undefined;
  if (!report) throw new AppError('conflict', c.job.state === 'running' ? 'the replay is still running' : 'this run has no replay report');
  return report;
}

export function replayJunit(c: JobControl): { fileName: string; content: string } {
  const stamp = (c.job.startedAt ?? '').slice(0, 19).replace(/[:T]/g, '-');
  return { fileName: `replay-${stamp}.xml`, content: junitXml(asRunInFolder(reportOf(c))) };
}

export function replayTurnDiff(c: JobControl, cassette: number, turn: number) {
  const report = reportOf(c);
  const cr = report.cassettes[cassette];
  const t = cr?.turns.find((x) => x.index === turn);
  if (!cr || !t) throw new AppError('not-found', `no turn ${turn + 1} in cassette ${cassette + 1} of this run`);
  if (!t.replayed) throw new AppError('conflict', `turn ${turn + 1} did not run (${t.error ?? 'no answer'}): there is nothing to compare`);
  return { id: idOf(cr.path), diff: diffTurns(t.recorded, t.replayed, t.index, { a: 'recorded', b: 'replayed' }) };
}
