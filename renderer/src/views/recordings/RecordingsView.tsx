// The Recordings tab: cassettes in the data dir (name, date, turns, size) with open, rename, delete
// (confirmed inline), export (download) and import (file input); tick two to see their diff side by side.
import { useEffect, useRef, useState } from 'react';
import type { RecordingEntry } from '../../../../shared/recordings-ipc';
import { useAppStore, useStore } from '../../store/store';
import { Messages } from '../Messages';
import { DiffView } from './DiffView';
import { downloadText } from './download';
import { RecordingDetail } from './RecordingDetail';

const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

function Row({ e }: { e: RecordingEntry }) {
  const store = useAppStore();
  const selected = useStore((s) => s.recordings.selected.includes(e.id));
  const openedId = useStore((s) => s.recordings.opened?.entry.id);
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const [name, setName] = useState(e.name);
  const r = () => store.getState().recordings;
  return (
    <tr className={`${openedId === e.id ? 'on' : ''} ${e.problem ? 'problem' : ''}`}>
      <td>
        <input type="checkbox" aria-label={`Select ${e.name} for diff`} checked={selected} disabled={Boolean(e.problem)} onChange={() => r().toggleSelect(e.id)} />
      </td>
      <td className="rec-name">
        {mode === 'rename' ? (
          <form
            className="inline-form"
            onSubmit={(ev) => {
              ev.preventDefault();
              void r()
                .rename(e.id, name)
                .then((ok) => ok && setMode('view'));
            }}
          >
            <input aria-label="New name" value={name} onChange={(ev) => setName(ev.target.value)} autoFocus />
            <button type="submit" className="btn small primary">
              Save
            </button>
            <button type="button" className="btn small" onClick={() => (setName(e.name), setMode('view'))}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <span className="mono">{e.name}</span>
            {e.recording ? <span className="badge small badbg">● REC</span> : null}
            {e.redacted ? <span className="badge small">redacted</span> : null}
            {e.problem ? (
              <span className="bad small" title={e.problem}>
                {' '}
                {e.problem}
              </span>
            ) : null}
          </>
        )}
      </td>
      <td className="muted">{new Date(e.createdAt).toLocaleString()}</td>
      <td className="num">{e.turns}</td>
      <td className="num">{size(e.size)}</td>
      <td className="muted">{[e.environment, e.scenario].filter(Boolean).join(' · ')}</td>
      <td className="rec-actions">
        {mode === 'delete' ? (
          <>
            <span>Delete {e.name}?</span>{' '}
            <button type="button" className="btn small danger" onClick={() => void r().remove(e.id)}>
              Yes, delete
            </button>
            <button type="button" className="btn small" onClick={() => setMode('view')}>
              No
            </button>
          </>
        ) : (
          <>
            <button type="button" className="btn small" disabled={Boolean(e.problem)} onClick={() => void r().open(e.id)}>
              Open
            </button>
            <button type="button" className="btn small" disabled={e.recording} onClick={() => (setName(e.name), setMode('rename'))}>
              Rename
            </button>
            <button
              type="button"
              className="btn small"
              disabled={Boolean(e.problem)}
              onClick={() =>
                void r()
                  .exportText(e.id)
                  .then((f) => f && downloadText(f.fileName, f.content))
              }
            >
              Export
            </button>
            <button type="button" className="btn small" disabled={e.recording} onClick={() => setMode('delete')}>
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

export function RecordingsView() {
  const store = useAppStore();
  const entries = useStore((s) => s.recordings.entries);
  const loaded = useStore((s) => s.recordings.loaded);
  const selected = useStore((s) => s.recordings.selected);
  const opened = useStore((s) => s.recordings.opened);
  const diff = useStore((s) => s.recordings.diff);
  const error = useStore((s) => s.recordings.error);
  const notice = useStore((s) => s.recordings.notice);
  const redact = useStore((s) => s.recordings.redact);
  const dataDir = useStore((s) => s.ui.appInfo?.dataDir);
  const file = useRef<HTMLInputElement>(null);
  const r = () => store.getState().recordings;

  useEffect(() => {
    void store.getState().recordings.load();
  }, [store]);

  const onFile = async (f: File | undefined) => {
    if (!f) return;
    await r().importText(f.name, await f.text());
    if (file.current) file.current.value = '';
  };

  return (
    <div className="recordings">
      <div className="rec-bar">
        <h2>Recordings</h2>
        <button type="button" className="btn small" onClick={() => void r().load()}>
          Refresh
        </button>
        <label className="btn small file-btn">
          Import…
          <input ref={file} type="file" accept=".jsonl,application/x-ndjson,application/json,text/plain" aria-label="Import recording" onChange={(e) => void onFile(e.target.files?.[0])} />
        </label>
        <button type="button" className="btn small primary" disabled={selected.length !== 2} onClick={() => void r().diffSelected()}>
          Diff selected ({selected.length}/2)
        </button>
        <label className="field check" title="New recordings keep only the filtered text (no raw PII): shareable">
          <input type="checkbox" checked={redact} onChange={(e) => r().setRedact(e.target.checked)} /> Record redacted
        </label>
        <span className="muted">
          Record a session with ● Record in the toolbar{dataDir ? ` · files in ${dataDir}/recordings` : ''}.
        </span>
      </div>
      <Messages error={error} notice={notice} onDismiss={() => r().clearMessages()} />
      <div className="rec-table-wrap">
        <table className="rec-table" aria-label="Recordings">
          <thead>
            <tr>
              <th aria-label="Select" />
              <th>Name</th>
              <th>Date</th>
              <th className="num">Turns</th>
              <th className="num">Size</th>
              <th>Environment</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <Row key={`${e.id}|${e.createdAt}`} e={e} />
            ))}
          </tbody>
        </table>
        {loaded && entries.length === 0 ? <p className="muted">No recordings yet.</p> : null}
      </div>
      {diff ? <DiffView result={diff} onClose={() => r().closeDetail()} /> : opened ? <RecordingDetail opened={opened} onClose={() => r().closeDetail()} /> : null}
    </div>
  );
}
