// Recording a saved dialog script as a QA job: the CLI's `record --script` on the same core (the session
// recorder, recordDialog), into a new cassette in the recordings folder. Cancel keeps what was recorded so
// far: the recorder appends every event as it happens and closes the file valid. A script turn's assertions
// are written to the cassette's sidecar, so every replay (app or CLI) checks them.
import { mkdir } from 'node:fs/promises';
import type { ScenarioName } from '../../../shared/scenarios';
import { recordDialog } from '../recording/record-dialog';
import { startSessionRecorder } from '../recording/session-recorder';
import type { ScriptTurn } from '../../../shared/dialog-script';
import { sidecarFromScript, writeSidecar } from '../recording/assertions';
import type { AppDeps } from './app-deps';
import type { QaJobs } from './qa-jobs';
import type { RecordingsStore } from './recordings-store';

export interface RecordRequest {
  name: string;
  turns: ScriptTurn[];
  environment: string;
  scenario?: ScenarioName;
}

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-');

export async function startRecordJob(jobs: QaJobs, deps: Pick<AppDeps, 'openSession' | 'settings'>, store: RecordingsStore, req: RecordRequest, writing: Set<string>) {
  await mkdir(store.dir, { recursive: true });
  const id = await store.freshId(`${req.name}-${stamp(new Date())}`);
  writing.add(id);
  return jobs.start({ kind: 'record', title: req.name, environment: req.environment }, async (c) => {
    try {
      const total = req.turns.length;
      const progress = { cassettes: { done: 0, total: 1 }, turns: { done: 0, total } };
      c.update({ progress, recording: id });
      const { fallbacks } = await deps.settings.get();
      const handle = await deps.openSession(req.environment, { fallbacks });
      try {
        const core = handle;
        const recorder = await startSessionRecorder({
          engine: core.engine,
          path: store.pathOf(id),
          environment: core.environment,
          secrets: core.secrets,
          ...(core.builtIn ? { scenario: req.scenario ?? 'happy', ...(core.speed !== undefined ? { speed: core.speed } : {}) } : req.scenario ? { scenario: req.scenario } : {}),
          note: `recorded from ${req.name}.txt in the app`,
        });
        try {
          const result = await recordDialog({
            engine: core.engine,
            turns: req.turns,
            ...(req.scenario ? { scenario: req.scenario } : {}),
            signal: c.signal,
            onTurnStart: (i, t) => c.update({ progress: { ...progress, current: `turn ${i + 1}/${total}: ${t.input.slice(0, 80)}` } }),
            onTurnEnd: () => {
              progress.turns.done++;
              c.update({ progress: { ...progress } });
            },
          });
          // The script's assertions go into the cassette's sidecar (as `record` does), for the turns recorded.
          const sidecar = sidecarFromScript(req.turns);
          const entries = sidecar?.turns?.slice(0, result.summaries.length) ?? [];
          if (entries.some((e) => e.assert?.length)) await writeSidecar(store.pathOf(id), { turns: entries });
          const stoppedAt = result.summaries.at(-1);
          if (result.notRun > 0 && !c.signal.aborted && stoppedAt) {
            throw new Error(`stopped after turn ${result.summaries.length}: it ended ${stoppedAt.status}${stoppedAt.cause ? ` (${stoppedAt.cause})` : ''}; the turns so far are kept`);
          }
        } finally {
          recorder.stop();
        }
        progress.cassettes.done = 1;
        c.update({ progress: { ...progress } });
      } finally {
        await handle.close();
      }
    } finally {
      writing.delete(id);
    }
  });
}
