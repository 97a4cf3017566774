// One recording, read-only: its turns with input, status, filtered and raw text, hits and timing.
import type { OpenedRecording } from '../../store/recordings-slice';
import { int, secs } from '../format';

export function RecordingDetail({ opened, onClose }: { opened: OpenedRecording; onClose: () => void }) {
  const { entry, turns, warnings } = opened;
  return (
    <section className="rec-detail" aria-label={`Recording ${entry.name}`}>
      <div className="rec-detail-head">
        <h2>{entry.name}</h2>
        <span className="muted">
          {entry.environment ?? '?'} · {entry.upstream ?? '?'}
          {entry.scenario ? ` · scenario ${entry.scenario}` : ''}
          {entry.redacted ? ' · redacted' : ''} · {new Date(entry.createdAt).toLocaleString()}
        </span>
        <button type="button" className="btn small" onClick={onClose}>
          Close
        </button>
      </div>
      {warnings.map((w) => (
        <p key={w} className="warnbox">
          {w}
        </p>
      ))}
      {turns.length === 0 ? <p className="muted">No turns recorded.</p> : null}
      <ol className="rec-turns">
        {turns.map((t) => (
          <li key={t.turnId} className="rec-turn">
            <div className="rec-turn-head">
              <strong>Turn {t.index + 1}</strong> <span className={`badge small st-${t.status}`}>{t.status}</span>
              {t.cause ? <span className="cause">{t.cause}</span> : null}
              {t.scenario ? <span className="muted"> scenario {t.scenario}</span> : null}
              <span className="muted">
                {' '}
                · {int(t.tokens)} tokens · TTFT {secs(t.ttftMs)} · {secs(t.durationMs)} · {int(t.totalTokens)} total usage · {t.hits.length} hit{t.hits.length === 1 ? '' : 's'}
              </span>
            </div>
            <p className="rec-input">
              <span className="muted">User: </span>
              {t.input}
            </p>
            <div className="rec-texts">
              {/* Raw then Filtered, as the session's lanes. */}
              <div>
                <h3>Raw</h3>
                <pre className="rec-text">{t.rawText ?? '(redacted recording: no raw text)'}</pre>
              </div>
              <div>
                <h3>Filtered</h3>
                <pre className="rec-text">{t.filteredText ?? '(no filter ran)'}</pre>
              </div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
