// Everything that went wrong or was caught in the selected turn: errors with their typed cause and the
// fallback the end user sees, frame issues (duplicates, gaps, malformed frames, bad UTF-8), filter
// detections by type and action, and leak alarms.
import { describeDamage } from '../../../../shared/turn-status';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../../store/store';
import { visibleString } from '../../text/visible';
import { CAUSE_LABELS, secs } from '../format';

export function IssuesView() {
  const turnId = useStore((s) => s.ui.selectedTurnId);
  // What this view shows of the turn, compared field by field: these change when something is found or the
  // turn ends, not with every token batch.
  const turn = useStore(
    useShallow((s) => {
      const t = turnId ? s.session.turns.byId[turnId] : undefined;
      return t
        ? { turnId: t.turnId, ordinal: t.ordinal, status: t.status, cause: t.cause, end: t.end, errors: t.errors, issues: t.issues, hits: t.hits, leaks: t.leaks }
        : undefined;
    }),
  );
  const syncOrder = useStore((s) => s.sync.order);
  const syncs = useStore((s) => s.sync.byId);
  if (!turn) return <p className="hint">No turn yet.</p>;
  // A write-back that did not go through is a problem of this turn's answer too.
  const failedSyncs = syncOrder.map((id) => syncs[id]!).filter((tl) => tl.turnId === turn.turnId && tl.state === 'failed');
  const none = !turn.errors.length && !turn.issues.length && !turn.hits.length && !turn.leaks.length && !failedSyncs.length;
  return (
    <div className="issues">
      {turn.status === 'partial' ? <p className="warnbox">Partial answer: the stream ended early ({turn.cause ?? 'unknown cause'}); what arrived is kept and shown.</p> : null}
      {turn.end?.damage?.length ? (
        <p className="warnbox">
          {turn.status === 'damaged' ? 'Damaged answer: the stream ended, but ' : 'Also damaged: '}
          {describeDamage(turn.end.damage)}; marked in the text where it happened. Not written back into the dialog.
        </p>
      ) : null}
      {none ? <p className="hint">Nothing to report for turn #{turn.ordinal}.</p> : null}
      {turn.leaks.map((l, i) => (
        <p key={`l${i}`} className="errbox" role="alert">
          LEAK: streamed output differs from whole-text filtering at char {l.position}: {visibleString(l.detail)}
        </p>
      ))}
      {turn.errors.length ? (
        <section>
          <h3>Errors and fallbacks</h3>
          <ul className="plain">
            {turn.errors.map((e, i) => (
              <li key={i} className="err-item">
                <span className={`cause c-${e.cause}`}>{e.cause}</span> <span className="muted">{CAUSE_LABELS[e.cause]}</span>
                {e.status !== undefined ? <span className="code-no">HTTP {e.status}</span> : null}
                {e.closeCode !== undefined ? <span className="code-no">close {e.closeCode}</span> : null}
                <div>{visibleString(e.message)}</div>
                {e.retry ? (
                  <div className="muted">
                    retried after {secs(e.retry.inMs)} (attempt {e.retry.attempt} of {e.retry.of})
                  </div>
                ) : (
                  <div>
                    End user sees: <q>{visibleString(e.fallback)}</q>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {failedSyncs.length ? (
        <section>
          <h3>Sync</h3>
          <ul className="plain">
            {failedSyncs.map((tl) => {
              const last = tl.steps[tl.steps.length - 1];
              return (
                <li key={tl.syncId} className="err-item">
                  <span className="badge sync-failed">sync failed</span> {tl.target === 'gateway-variables' ? 'dialog variables' : 'context inject'}
                  {last?.cause ? <span className="muted"> · {CAUSE_LABELS[last.cause]}</span> : null}
                  {last?.detail ? <div>{visibleString(last.detail)}</div> : null}
                  <div className="muted">The answer is kept in the outbox: Retry now in the Sync tab.</div>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {turn.issues.length ? (
        <section>
          <h3>Frame issues</h3>
          <ul className="plain">
            {turn.issues.map((is, i) => (
              <li key={i}>
                <span className="badge warn">{is.kind}</span> {visibleString(is.detail)}
                {is.seq !== undefined ? ` · seq ${is.seq}` : ''}
                {is.expectedSeq !== undefined ? ` (expected ${is.expectedSeq})` : ''}
                {is.position !== undefined ? ` · at char ${is.position}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {turn.hits.length ? (
        <section>
          <h3>Detections</h3>
          <table className="grid">
            <thead>
              <tr>
                <th>type</th>
                <th>action</th>
                <th>raw</th>
                <th>filtered</th>
              </tr>
            </thead>
            <tbody>
              {turn.hits.map((h, i) => (
                <tr key={i}>
                  <td>
                    <span className="badge hit-badge">{h.type}</span>
                  </td>
                  <td>{h.action}</td>
                  <td className="num">
                    {h.rawStart}–{h.rawEnd}
                  </td>
                  <td className="num">
                    {h.outStart}–{h.outEnd}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
