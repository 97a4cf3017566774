// recordings.*: the record toggle of the open session, the recordings list and what is shown of it (one
// opened recording, or the diff of two selected ones). Files stay main-side: the renderer gets summaries,
// a diff as data, and an export's text to offer as a download.
import { toIpcError, type DebuggerApi, type InvokeResponse } from '../../../shared/ipc';
import type { RecordingEntry } from '../../../shared/recordings-ipc';
import { attempter } from './attempt';
import { patch, type SliceCreator } from './types';

/** Largest import the browser bridge carries (its cap is 1 MiB per message, JSON framing included). */
const BRIDGE_IMPORT_LIMIT = 900 * 1024;

export type OpenedRecording = InvokeResponse<'renderer:recordings.open'>;
export type RecordingsDiff = InvokeResponse<'renderer:recordings.diff'>;

export interface RecordingsSlice {
  recordings: {
    entries: RecordingEntry[];
    loaded: boolean;
    /** The recording of a session (the toolbar's ● REC), while it runs. */
    active?: { sessionId: string; id: string; name: string };
    toggling: boolean;
    /** New recordings keep filtered text only (shareable: no raw PII). */
    redact: boolean;
    /** Ids picked for a diff, oldest pick first; at most two. */
    selected: string[];
    opened?: OpenedRecording;
    diff?: RecordingsDiff;
    error?: string;
    notice?: string;
    load(): Promise<void>;
    /** Starts recording the open session (redacted when `redact` is on), or stops it when it is recording. */
    toggleRecording(): Promise<void>;
    setRedact(on: boolean): void;
    open(id: string): Promise<void>;
    closeDetail(): void;
    rename(id: string, name: string): Promise<boolean>;
    remove(id: string): Promise<void>;
    exportText(id: string): Promise<{ fileName: string; content: string } | undefined>;
    importText(fileName: string, content: string): Promise<void>;
    toggleSelect(id: string): void;
    diffSelected(): Promise<void>;
    clearMessages(): void;
  };
}

export const createRecordingsSlice =
  (api: DebuggerApi): SliceCreator<RecordingsSlice> =>
  (set, get) => {
    const rec = (value: Partial<RecordingsSlice['recordings']>) => set(patch('recordings', value));
    const fail = (err: unknown) => rec({ error: toIpcError(err).message, notice: undefined });
    const attempt = attempter(fail);
    /** Replaces ids that changed (rename) or went away (delete) in the selection and the detail. */
    const forget = (id: string, next?: RecordingEntry) => {
      const r = get().recordings;
      rec({
        selected: next ? r.selected.map((s) => (s === id ? next.id : s)) : r.selected.filter((s) => s !== id),
        opened: r.opened?.entry.id === id ? (next ? { ...r.opened, entry: next } : undefined) : r.opened,
        diff: r.diff && (r.diff.a.id === id || r.diff.b.id === id) ? undefined : r.diff,
      });
    };
    return {
      recordings: {
        entries: [],
        loaded: false,
        toggling: false,
        redact: false,
        selected: [],
        async load() {
          try {
            const { recordings } = await api.invoke('renderer:recordings.list', {});
            rec({ entries: recordings, loaded: true });
          } catch (err) {
            rec({ loaded: true });
            fail(err);
          }
        },
        setRedact(redact) {
          rec({ redact });
        },
        async toggleRecording() {
          const r = get().recordings;
          const sessionId = get().session.sessionId;
          if (r.toggling) return;
          rec({ toggling: true, error: undefined });
          try {
            // A recording of a session that has since been replaced was ended main-side with it.
            if (r.active && r.active.sessionId === sessionId) {
              const { entry } = await api.invoke('renderer:recording.stop', { sessionId: r.active.sessionId });
              rec({ active: undefined, notice: entry ? `Saved ${entry.name} (${entry.turns} turn${entry.turns === 1 ? '' : 's'})` : undefined });
            } else {
              if (!sessionId) throw new Error('no open session to record');
              const { id, name } = await api.invoke('renderer:recording.start', { sessionId, ...(r.redact ? { redact: true } : {}) });
              rec({ active: { sessionId, id, name }, notice: undefined });
            }
          } catch (err) {
            fail(err);
          } finally {
            rec({ toggling: false });
          }
          await get().recordings.load();
        },
        async open(id) {
          await attempt(async () => rec({ opened: await api.invoke('renderer:recordings.open', { id }), diff: undefined, error: undefined }));
        },
        closeDetail() {
          rec({ opened: undefined, diff: undefined });
        },
        async rename(id, name) {
          const renamed = await attempt(async () => {
            const { entry } = await api.invoke('renderer:recordings.rename', { id, name });
            forget(id, entry);
            rec({ error: undefined, notice: `Renamed to ${entry.name}` });
            await get().recordings.load();
            return true;
          });
          return renamed ?? false;
        },
        async remove(id) {
          await attempt(async () => {
            await api.invoke('renderer:recordings.delete', { id });
            forget(id);
            rec({ error: undefined, notice: `Deleted ${id}` });
          });
          await get().recordings.load();
        },
        exportText(id) {
          return attempt(() => api.invoke('renderer:recordings.export', { id }));
        },
        async importText(fileName, content) {
          // Browser mode's bridge carries at most 1 MiB per message; say so instead of losing the connection.
          if (get().ui.appInfo?.mode === 'browser' && new TextEncoder().encode(content).length > BRIDGE_IMPORT_LIMIT) {
            rec({ error: `${fileName} is too large to import in browser mode (over ${BRIDGE_IMPORT_LIMIT / 1024} KB); import it in the desktop app, or copy it into the recordings folder`, notice: undefined });
            return;
          }
          await attempt(async () => {
            const { entry, warnings } = await api.invoke('renderer:recordings.import', { fileName, content });
            rec({ error: undefined, notice: `Imported ${entry.name}${warnings.length ? ` — ${warnings.join('; ')}` : ''}` });
          });
          await get().recordings.load();
        },
        toggleSelect(id) {
          const sel = get().recordings.selected;
          rec({ selected: sel.includes(id) ? sel.filter((s) => s !== id) : [...sel, id].slice(-2) });
        },
        async diffSelected() {
          const [a, b] = get().recordings.selected;
          if (!a || !b) return;
          await attempt(async () => rec({ diff: await api.invoke('renderer:recordings.diff', { a, b }), opened: undefined, error: undefined }));
        },
        clearMessages() {
          rec({ error: undefined, notice: undefined });
        },
      },
    };
  };
