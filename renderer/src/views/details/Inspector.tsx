// Reassembly inspector: a character range of the raw text → the tokens, frames/seq, bytes and arrival times
// it came from, with joined surrogates, binary splits, duplicates and gaps marked. The range comes from a
// selection in the Raw tokens lane, a click on a token, or the From/To fields (keyboard).
import { useMemo } from 'react';
import { useAppStore, useStore } from '../../store/store';
import { visibleString } from '../../text/visible';
import { inspectRange } from './inspect';

export function Inspector() {
  const store = useAppStore();
  const turnId = useStore((s) => s.ui.selectedTurnId);
  const selection = useStore((s) => s.ui.selection);
  const sel = selection && selection.turnId === turnId ? selection : undefined;
  const exists = useStore((s) => Boolean(turnId && s.session.turns.byId[turnId]));
  // The turn itself only while a range is inspected: without one, a streaming turn's token batches re-render
  // nothing here (its length is read when a range is set).
  const turn = useStore((s) => (turnId && sel ? s.session.turns.byId[turnId] : undefined));
  const result = useMemo(() => (turn && sel ? inspectRange(turn, sel.start, sel.end) : undefined), [turn, sel]);

  if (!exists || !turnId) return <p className="hint">Send a message; then select text in the Raw tokens lane (or click a token) to see where it came from.</p>;
  const rawLength = () => store.getState().session.turns.byId[turnId]?.raw.length ?? 0;
  const setRange = (start: number, end: number) => {
    const s = Math.max(0, Math.min(start, rawLength()));
    const e = Math.max(0, Math.min(end, rawLength()));
    store.getState().ui.setSelection({ turnId, start: Math.min(s, e), end: Math.max(s, e) });
  };
  return (
    <div className="inspector">
      <div className="range-form">
        <label>
          From <input type="number" min={0} value={sel?.start ?? 0} onChange={(e) => setRange(Number(e.target.value), sel?.end ?? rawLength())} aria-label="Range start" />
        </label>
        <label>
          To <input type="number" min={0} value={sel?.end ?? 0} onChange={(e) => setRange(sel?.start ?? 0, Number(e.target.value))} aria-label="Range end" />
        </label>
        <button type="button" className="btn small" onClick={() => setRange(0, rawLength())}>
          Whole answer
        </button>
        {sel ? (
          <button type="button" className="btn small" onClick={() => store.getState().ui.setSelection(undefined)}>
            Clear
          </button>
        ) : null}
      </div>
      {!result ? (
        <p className="hint">Select text in the Raw tokens lane, click a token, or type a range. Characters are UTF-16 code units of the raw text.</p>
      ) : (
        <>
          <div className="sel-text">
            <span className="k">chars {result.start}–{result.end}</span> <q>{visibleString(result.text.length > 200 ? `${result.text.slice(0, 200)}…` : result.text)}</q>
          </div>
          <table className="grid tokens-table">
            <thead>
              <tr>
                <th>#</th>
                <th>token</th>
                <th>frame</th>
                <th>seq</th>
                <th>bytes</th>
                <th title="arrival, ms since the turn started">at (ms)</th>
                <th title="since the previous token, ms">Δ (ms)</th>
              </tr>
            </thead>
            <tbody>
              {result.tokens.map((r) => (
                <TokenTr key={r.index} r={r} />
              ))}
            </tbody>
          </table>
          {result.more ? <p className="hint">{result.more} more tokens not shown: narrow the range.</p> : null}
          {result.issues.length ? (
            <ul className="issues-near">
              {result.issues.map((is, i) => (
                <li key={i}>
                  <span className="badge warn">{is.kind}</span> {visibleString(is.detail)}
                  {is.position !== undefined ? ` (at char ${is.position})` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </div>
  );
}

function TokenTr({ r }: { r: ReturnType<typeof inspectRange>['tokens'][number] }) {
  return (
    <>
      <tr className={r.notes.length ? 'noted' : undefined}>
        <td className="num">{r.index}</td>
        <td className="tok-cell">
          {r.binary ? (
            <span className="bin" title="binary frame: raw UTF-8 bytes">
              bin {r.hex}
            </span>
          ) : (
            <q>{visibleString(r.text ?? '')}</q>
          )}
        </td>
        <td className="num">
          {r.frame}
          {r.messageId ? <span className="muted" title={`message id ${r.messageId}`}> ✉</span> : null}
        </td>
        <td className="num">{r.seq ?? '—'}</td>
        <td className="num">{r.bytes}</td>
        <td className="num">{r.at.toFixed(0)}</td>
        <td className="num">{r.gap === undefined ? '—' : r.gap.toFixed(0)}</td>
      </tr>
      {r.notes.map((n, i) => (
        <tr key={i} className="note-row">
          <td />
          <td colSpan={6}>↳ {n}</td>
        </tr>
      ))}
    </>
  );
}
