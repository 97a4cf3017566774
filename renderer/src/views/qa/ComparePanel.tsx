// Compare: one input (or a saved dialog script) sent to two environments at once — or one environment
// duplicated under another filter policy, or two demo scenarios — both answers streaming side by side as
// they arrive, then the structured diff per turn (text, hits, timing, usage) from main's core.
import { useEffect } from 'react';
import type { CompareSide, CompareTarget } from '../../../../shared/qa-ipc';
import { useAppStore, useStore } from '../../store/store';
import type { TurnsState } from '../../store/turn-model';
import { toString } from '../../text/text-lines';
import { visibleString } from '../../text/visible';
import { STATUS_LABELS } from '../format';
import { TurnCard } from '../recordings/DiffView';
import { JobProgress } from './JobProgress';
import { EnvironmentSelect } from '../EnvironmentSelect';
import { ScenarioSelect } from './pickers';

function SideTarget({ side }: { side: CompareSide }) {
  const store = useAppStore();
  const t = useStore((s) => (side === 'a' ? s.qa.compareA : s.qa.compareB));
  const set = (next: CompareTarget) => store.getState().qa.setCompare(side === 'a' ? { compareA: next } : { compareB: next });
  const name = side.toUpperCase();
  return (
    <div className="qa-row">
      <span className="badge small">{name}</span>
      <EnvironmentSelect label={`Environment ${name}`} value={t.environment} onChange={(environment) => set({ environment })} />
      <ScenarioSelect label={`Scenario ${name}`} environment={t.environment} value={t.scenario} onChange={(scenario) => set({ environment: t.environment, ...(scenario ? { scenario } : {}) })} none="as the script says" />
    </div>
  );
}

function Stream({ turns, label }: { turns: TurnsState; label: string }) {
  return (
    <section className="qa-stream" aria-label={`Stream ${label}`}>
      <h3>{label}</h3>
      {turns.order.map((id) => {
        const t = turns.byId[id]!;
        return (
          <div key={id} className="qa-stream-turn">
            <div className="muted small">
              #{t.ordinal} {visibleString(t.input)} · <span className={`badge small st-${t.status}`}>{STATUS_LABELS[t.status]}</span>
              {t.hits.length ? ` · ${t.hits.length} hit${t.hits.length === 1 ? '' : 's'}` : ''}
            </div>
            {/* Line breaks kept as lines; every other invisible character shown as its marker. */}
            <pre className="rec-text">{toString(t.filtered).split('\n').map(visibleString).join('\n')}</pre>
          </div>
        );
      })}
      {turns.order.length === 0 ? <p className="muted small">waiting for the first token…</p> : null}
    </section>
  );
}

export function ComparePanel() {
  const store = useAppStore();
  const input = useStore((s) => s.qa.compareInput);
  const dialog = useStore((s) => s.qa.compareDialog);
  const dialogs = useStore((s) => s.qa.dialogs);
  const jobId = useStore((s) => s.qa.current.compare);
  const job = useStore((s) => (jobId ? s.qa.jobs[jobId] : undefined));
  const run = useStore((s) => (jobId ? s.qa.compares[jobId] : undefined));
  const qa = () => store.getState().qa;
  useEffect(() => {
    void store.getState().qa.loadDialogs();
  }, [store]);
  const label = (t: CompareTarget | undefined) => (t ? `${t.environment}${t.scenario ? ` (${t.scenario})` : ''}` : '');
  return (
    <div className="qa-compare">
      <div className="qa-compare-form">
        <SideTarget side="a" />
        <SideTarget side="b" />
        <div className="qa-row">
          <label className="field inline">
            <span>Send</span>
            <select aria-label="Compare what" value={dialog ?? ''} onChange={(e) => qa().setCompare({ compareDialog: e.target.value || undefined })}>
              <option value="">one message</option>
              {dialogs.map((d) => (
                <option key={d.name} value={d.name}>
                  dialog {d.name} ({d.turns} turns)
                </option>
              ))}
            </select>
          </label>
          {dialog ? null : <input className="qa-message" aria-label="Compare message" placeholder="A user message sent to both" value={input} onChange={(e) => qa().setCompare({ compareInput: e.target.value })} />}
          <button type="button" className="btn primary" disabled={job?.state === 'running' || (!dialog && !input.trim())} onClick={() => void qa().compare()}>
            ⇆ Compare
          </button>
        </div>
      </div>
      {job ? <JobProgress job={job} unit="turns" /> : null}
      {run && job ? (
        <>
          <div className="diff-cols qa-streams">
            <Stream turns={run.turns.a} label={`A · ${label(job.compare?.a)}`} />
            <Stream turns={run.turns.b} label={`B · ${label(job.compare?.b)}`} />
          </div>
          {run.result ? (
            <section className="rec-detail" aria-label="Compare diff">
              <div className="rec-detail-head">
                <h2>Diff</h2>
                {/* Alike within the similarity but not identical is not an alarm: the turns below say what differs. */}
                <span className={`badge ${run.result.same ? 'good' : run.result.ok ? 'warn' : 'badbg'}`}>
                  {run.result.same ? 'no differences' : run.result.ok ? 'small differences' : 'differences found'}
                </span>
                <span className={`badge ${run.result.ok ? 'good' : 'badbg'}`} role="status" aria-label="Compare verdict">
                  {run.result.ok ? 'alike (within the similarity)' : 'they differ'}
                </span>
              </div>
              {run.result.verdicts.map((v) => (
                <p key={v.index} className="qa-checks">
                  <span className="muted small">turn {v.index + 1} · {Math.round(v.similarity * 100)} % similar</span>
                  {v.checks.map((k) => (
                    <span key={k.check} className={`qa-check ${k.ok ? 'ok' : 'ko'}`} title={`expected ${k.expected}, got ${k.got}`}>
                      {k.ok ? '✓' : '✗'} {k.check}
                    </span>
                  ))}
                  {v.errors.map((e) => (
                    <span key={e} className="bad small">
                      {e}
                    </span>
                  ))}
                </p>
              ))}
              {run.result.notes.map((n) => (
                <p key={n} className="muted">
                  {n}
                </p>
              ))}
              <ol className="rec-turns">
                {run.result.turns.map((t) => (
                  <TurnCard key={t.index} t={t} />
                ))}
              </ol>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
