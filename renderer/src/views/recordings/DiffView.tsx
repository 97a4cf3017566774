// Two recordings side by side, per turn: filtered and raw text with removed (A) and added (B) parts marked,
// filter hits added or gone, token boundaries, timing and usage deltas. Text only, never HTML.
import type { DeltaData, TextDiffData, TurnDiffData } from '../../../../shared/recordings-ipc';
import type { RecordingsDiff } from '../../store/recordings-slice';
import { int } from '../format';

function Side({ diff, side }: { diff: TextDiffData; side: 'a' | 'b' }) {
  if (diff.same) return <pre className="rec-text">{side === 'a' ? diff.a : diff.b}</pre>;
  return (
    <pre className="rec-text">
      {diff.parts.map((p, i) =>
        side === 'a' ? (
          p.added ? null : p.removed ? (
            <del key={i} className="diff-del">
              {p.value}
            </del>
          ) : (
            <span key={i}>{p.value}</span>
          )
        ) : p.removed ? null : p.added ? (
          <ins key={i} className="diff-ins">
            {p.value}
          </ins>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </pre>
  );
}

function TextPair({ label, diff, empty }: { label: string; diff: TextDiffData | null; empty: string }) {
  return (
    <>
      <h3 className="diff-label">
        {label} {diff ? <span className={`badge small ${diff.same ? 'good' : 'badbg'}`}>{diff.same ? 'same' : `${Math.round(diff.similarity * 100)}% similar`}</span> : null}
      </h3>
      {diff ? (
        <div className="diff-cols">
          <Side diff={diff} side="a" />
          <Side diff={diff} side="b" />
        </div>
      ) : (
        <p className="muted">{empty}</p>
      )}
    </>
  );
}

const signed = (d: DeltaData, unit = '') => (d.delta === undefined ? '—' : `${d.delta > 0 ? '+' : ''}${Math.round(d.delta)}${unit}`);
const val = (v: number | undefined, unit = '') => (v === undefined ? '—' : `${Math.round(v)}${unit}`);

export function TurnCard({ t }: { t: TurnDiffData }) {
  const rows: Array<[string, DeltaData, string]> = [
    ['TTFT', t.timing.ttftMs, ' ms'],
    ['Duration', t.timing.durationMs, ' ms'],
    ['Prompt tokens', t.usage.prompt, ''],
    ['Completion tokens', t.usage.completion, ''],
    ['Total tokens', t.usage.total, ''],
  ];
  return (
    <li className={`diff-turn ${t.same ? 'same' : 'changed'}`}>
      <div className="rec-turn-head">
        <strong>Turn {t.index + 1}</strong> <span className={`badge small ${t.same ? 'good' : 'badbg'}`}>{t.same ? 'same' : t.differs.length ? `different: ${t.differs.join(', ')}` : 'different'}</span>
        {t.onlyIn ? <span className="badge small warn">only in {t.onlyIn.toUpperCase()}</span> : null}
        <span className="muted">
          {' '}
          status {t.status.a ?? '—'} / {t.status.b ?? '—'}
          {t.errors.same ? '' : ` · errors ${t.errors.a.join(', ') || 'none'} / ${t.errors.b.join(', ') || 'none'}`}
          {t.leaks.a || t.leaks.b ? ` · leaks ${t.leaks.a} / ${t.leaks.b}` : ''}
        </span>
      </div>
      <div className="diff-cols">
        <p className="rec-input">
          <span className="muted">User: </span>
          {t.input.a ?? '—'}
        </p>
        <p className={`rec-input ${t.input.same ? '' : 'bad'}`}>
          <span className="muted">User: </span>
          {t.input.b ?? '—'}
        </p>
      </div>
      <TextPair label="Filtered" diff={t.filtered} empty="No filter ran." />
      <TextPair label="Raw" diff={t.raw} empty="Raw text not compared (a redacted recording keeps filtered text only)." />
      <div className="diff-facts">
        <div>
          <h3>Filter hits</h3>
          <p className="muted">{t.hits.same} unchanged</p>
          {t.hits.gone.length ? (
            <ul className="diff-hits">
              {t.hits.gone.map((h, i) => (
                <li key={`g${i}`} className="diff-del">
                  − {h.type} ({h.action}) raw {h.rawStart}–{h.rawEnd}
                </li>
              ))}
            </ul>
          ) : null}
          {t.hits.added.length ? (
            <ul className="diff-hits">
              {t.hits.added.map((h, i) => (
                <li key={`a${i}`} className="diff-ins">
                  + {h.type} ({h.action}) raw {h.rawStart}–{h.rawEnd}
                </li>
              ))}
            </ul>
          ) : null}
          <h3>Token boundaries</h3>
          <p className="muted">
            {int(t.tokens.a)} / {int(t.tokens.b)} tokens
            {t.tokens.same ? ' · same cuts' : ` · ${t.tokens.added.length} cut${t.tokens.added.length === 1 ? '' : 's'} only in B, ${t.tokens.removed.length} only in A`}
          </p>
        </div>
        <table className="diff-deltas">
          <thead>
            <tr>
              <th />
              <th>A</th>
              <th>B</th>
              <th>Δ</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, d, unit]) => (
              <tr key={label}>
                <th>{label}</th>
                <td>{val(d.a, unit)}</td>
                <td>{val(d.b, unit)}</td>
                <td>{signed(d, unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </li>
  );
}

export function DiffView({ result, onClose }: { result: RecordingsDiff; onClose: () => void }) {
  const { a, b, diff } = result;
  return (
    <section className="rec-detail" aria-label="Recording diff">
      <div className="rec-detail-head">
        <h2>Diff</h2>
        <span className={`badge ${diff.same ? 'good' : 'badbg'}`}>{diff.same ? 'no differences' : 'differences found'}</span>
        <button type="button" className="btn small" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="diff-cols diff-names">
        <div>
          <span className="badge small">A</span> <strong>{a.name}</strong> <span className="muted">{a.turns} turns</span>
        </div>
        <div>
          <span className="badge small">B</span> <strong>{b.name}</strong> <span className="muted">{b.turns} turns</span>
        </div>
      </div>
      {diff.headerChanges.map((c) => (
        <p key={c} className="warnbox">
          {c}
        </p>
      ))}
      {diff.notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
      <ol className="rec-turns">
        {diff.turns.map((t) => (
          <TurnCard key={t.index} t={t} />
        ))}
      </ol>
    </section>
  );
}
