// IPC handlers of the recordings domain: the per-session record toggle (the same session recorder as
// `record` and `stream --record`), and the recordings folder: list, open, rename, delete, export, import,
// and the diff of two recordings (the same structured diff as `diff`).
// Must never let an id reach outside the recordings folder, nor touch a file that is being recorded.
import { mkdir, rename } from 'node:fs/promises';
import type { RecordedTurn } from '../../../shared/recordings-ipc';
import { compilePolicy } from '../filters';
import { sidecarPath } from '../recording/assertions';
import { diffCassettes } from '../recording/cassette-diff';
import { createRunHistory } from '../recording/run-history';
import { startSessionRecorder, type SessionRecorder } from '../recording/session-recorder';
import { countedUsage, summarizeTurns } from '../recording/turns';
import { AppError } from './app-error';
import type { AppDeps } from './app-deps';
import type { Handlers } from './handler-types';
import { createRecordingsStore } from './recordings-store';

type RecordingsHandlers = Pick<
  Handlers,
  | 'renderer:recording.start'
  | 'renderer:recording.stop'
  | 'renderer:recordings.list'
  | 'renderer:recordings.open'
  | 'renderer:recordings.rename'
  | 'renderer:recordings.delete'
  | 'renderer:recordings.export'
  | 'renderer:recordings.import'
  | 'renderer:recordings.diff'
>;

const stamp = (d: Date) => d.toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-');

/** alsoRecording: recordings written elsewhere (a QA job recording a dialog script). */
export function recordingsHandlers(deps: Pick<AppDeps, 'dataDir'>, opts: { alsoRecording?: ReadonlySet<string> } = {}): RecordingsHandlers {
  const store = createRecordingsStore(deps.dataDir);
  const history = createRunHistory(deps.dataDir);
  /** Recordings being written, by session id (one per session) and by recording id. */
  const bySession = new Map<string, { id: string; recorder: SessionRecorder }>();
  const active = () => new Set([...bySession.values()].map((r) => r.id).concat([...(opts.alsoRecording ?? [])]));

  function refuseWhileRecording(id: string, what: string): void {
    if (active().has(id)) throw new AppError('conflict', `"${id}" is being recorded; stop the recording before you ${what} it`);
  }

  return {
    async 'renderer:recording.start'({ sessionId, redact }, { sessions }) {
      const handle = sessions.get(sessionId);
      const core = handle;
      if (bySession.has(sessionId)) throw new AppError('conflict', `this session is already recording to "${bySession.get(sessionId)?.id}"`);
      await mkdir(store.dir, { recursive: true });
      const id = await store.freshId(`${core.environment.name}-${stamp(new Date())}`);
      const recorder = await startSessionRecorder({
        engine: core.engine,
        path: store.pathOf(id),
        environment: core.environment,
        secrets: core.secrets,
        ...(redact ? { redact: true, policy: compilePolicy(core.policy) } : {}),
        ...(core.builtIn ? { scenario: 'happy', ...(core.speed !== undefined ? { speed: core.speed } : {}) } : {}),
        note: 'recorded in the app',
      });
      bySession.set(sessionId, { id, recorder });
      // Closing the session (or the window) ends its recording: the file is closed and stays valid.
      sessions.onClose(sessionId, () => {
        recorder.stop();
        bySession.delete(sessionId);
      });
      return { id, name: id.replace(/\.jsonl$/, '') };
    },
    async 'renderer:recording.stop'({ sessionId }, { sessions }) {
      // Only the client that owns the session may stop its recording (throws not-found otherwise).
      sessions.get(sessionId);
      const r = bySession.get(sessionId);
      if (!r) return {};
      r.recorder.stop();
      bySession.delete(sessionId);
      return { entry: await store.entry(r.id) };
    },
    async 'renderer:recordings.list'() {
      const now = active();
      return { recordings: await store.list((id) => now.has(id)) };
    },
    async 'renderer:recordings.open'({ id }) {
      const { cassette } = await store.read(id);
      const turns: RecordedTurn[] = summarizeTurns(cassette.events).map((t) => ({
        index: t.index,
        turnId: t.turnId,
        input: t.input,
        ...(t.scenario !== undefined ? { scenario: t.scenario } : {}),
        status: t.status,
        ...(t.cause !== undefined ? { cause: t.cause } : {}),
        rawText: t.rawText,
        filteredText: t.filteredText,
        tokens: t.tokens.length,
        hits: t.hits,
        ...(t.ttftMs !== undefined ? { ttftMs: t.ttftMs } : {}),
        ...(t.durationMs !== undefined ? { durationMs: t.durationMs } : {}),
        ...(countedUsage(t.usage)?.total !== undefined ? { totalTokens: countedUsage(t.usage)?.total } : {}),
      }));
      return { entry: await store.entry(id, active().has(id)), turns, warnings: cassette.warnings };
    },
    async 'renderer:recordings.rename'({ id, name }) {
      refuseWhileRecording(id, 'rename');
      const from = store.pathOf(id);
      const sidecar = sidecarPath(from);
      const newId = await store.rename(id, name);
      if (newId !== id) {
        // Its assertions and its run history belong to the recording: they go with it.
        const to = store.pathOf(newId);
        if (sidecar) await rename(sidecar, sidecar === `${from}.assert.json` ? `${to}.assert.json` : to.replace(/\.jsonl$/, '.assert.json'));
        await history.move(from, to);
      }
      return { entry: await store.entry(newId) };
    },
    async 'renderer:recordings.delete'({ id }) {
      refuseWhileRecording(id, 'delete');
      await store.remove(id);
      return { ok: true };
    },
    async 'renderer:recordings.export'({ id }) {
      // Read through the parser so an export is always a cassette the importer accepts.
      const { text } = await store.read(id);
      return { fileName: id, content: text };
    },
    async 'renderer:recordings.import'({ fileName, content }) {
      const { id, warnings } = await store.importText(fileName, content);
      return { entry: await store.entry(id), warnings };
    },
    async 'renderer:recordings.diff'({ a, b }) {
      const [ra, rb] = await Promise.all([store.read(a), store.read(b)]);
      const [ea, eb] = await Promise.all([store.entry(a, active().has(a)), store.entry(b, active().has(b))]);
      return { a: ea, b: eb, diff: diffCassettes(ra.cassette, rb.cassette, { a: ea.name, b: eb.name }) };
    },
  };
}
