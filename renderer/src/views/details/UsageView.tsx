// Usage per turn and per session: what the upstream reported next to the tokenizer's estimate, the drift
// between them per part (flagged over 10 % in any part, for each turn and for the session), the encoding the
// estimates really used, and which one the session counts.
import { useMemo } from 'react';
import type { TokenUsage } from '../../../../shared/events';
import { useShallow } from 'zustand/react/shallow';
import { describeDrift, driftOf } from '../../../../shared/usage-drift';
import { countedUsage } from '../../../../shared/counted-usage';
import { useStore } from '../../store/store';
import { int } from '../format';

const add = (a: TokenUsage, b: TokenUsage): TokenUsage => ({ prompt: a.prompt + b.prompt, completion: a.completion + b.completion, total: a.total + b.total });
const ZERO: TokenUsage = { prompt: 0, completion: 0, total: 0 };

function Cells({ u }: { u?: TokenUsage }) {
  return (
    <>
      <td className="num">{int(u?.prompt)}</td>
      <td className="num">{int(u?.completion)}</td>
      <td className="num">{int(u?.total)}</td>
    </>
  );
}

export function UsageView() {
  // Turns that have their usage (it arrives at turn end): a streaming turn's token batches change none of them.
  const rows = useStore(useShallow((s) => s.session.turns.order.map((id) => s.session.turns.byId[id]!).filter((t) => t.usage)));
  const totals = useMemo(() => {
    let reported = ZERO;
    let estimated = ZERO;
    // The session's drift compares like with like: the estimates of the turns that had a report.
    let estimatedOfReported = ZERO;
    let counted = ZERO;
    let anyReported = false;
    for (const t of rows) {
      const u = t.usage!;
      estimated = add(estimated, u.estimated);
      if (u.reported) {
        reported = add(reported, u.reported);
        estimatedOfReported = add(estimatedOfReported, u.estimated);
        anyReported = true;
      }
      counted = add(counted, countedUsage(u));
    }
    const encodings = [...new Set(rows.map((t) => t.usage!.encoding))];
    return { reported: anyReported ? reported : undefined, estimated, counted, drift: anyReported ? driftOf(reported, estimatedOfReported) : undefined, encodings };
  }, [rows]);
  if (!rows.length) return <p className="hint">Usage appears when a turn ends.</p>;
  const flagged = rows.filter((t) => t.usage!.driftFlagged).length;
  return (
    <div className="usage">
      {flagged ? (
        <p className="warnbox" role="alert">
          ⚠ {flagged} {flagged === 1 ? 'turn has' : 'turns have'} a drift over 10 % between reported and estimated usage.
        </p>
      ) : null}
      <table className="grid">
        <thead>
          <tr>
            <th rowSpan={2}>turn</th>
            <th colSpan={3}>reported</th>
            <th colSpan={3}>estimated · {totals.encodings.join(', ')}</th>
            <th rowSpan={2}>drift</th>
          </tr>
          <tr>
            <th>prompt</th>
            <th>compl.</th>
            <th>total</th>
            <th>prompt</th>
            <th>compl.</th>
            <th>total</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const u = t.usage!;
            return (
              <tr key={t.turnId} className={u.driftFlagged ? 'flagged' : undefined}>
                <td>#{t.ordinal}</td>
                <Cells u={u.reported} />
                <Cells u={u.estimated} />
                <td className="num" title={`estimated with ${u.encoding}; counted: ${u.source}`}>
                  {u.reported ? `${describeDrift(driftOf(u.reported, u.estimated))}${u.driftFlagged ? ' ⚠' : ''}` : 'n/a'}
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th>session</th>
            <Cells u={totals.reported} />
            <Cells u={totals.estimated} />
            <td className="num" title="reported against the estimates of the turns that had a report">
              {totals.drift ? `${describeDrift(totals.drift)}${totals.drift.flagged ? ' ⚠' : ''}` : 'n/a'}
            </td>
          </tr>
        </tfoot>
      </table>
      <p className="hint">
        Counted for the session (reported when the upstream sent it, else estimated): {int(totals.counted.prompt)} prompt + {int(totals.counted.completion)} completion ={' '}
        <b>{int(totals.counted.total)}</b> tokens. Estimated with {totals.encodings.join(', ')} (the model's encoding).
      </p>
    </div>
  );
}
