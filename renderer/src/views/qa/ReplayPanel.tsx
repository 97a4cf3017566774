// The replay runner: pick recordings (or the whole folder), an environment (and a scenario for the demo), a
// speed → Replay. Progress over cassettes and turns, Cancel, the results table with every check main's core
// ran, similarity, TTFT and usage deltas; a failed turn opens the side-by-side diff at its first
// difference; Export JUnit gives the XML the CLI writes. Verdicts are main's, never recomputed here.
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ReplayTurnData } from '../../../../shared/qa-ipc';
import { useAppStore, useStore } from '../../store/store';
import { TurnCard } from '../recordings/DiffView';
import { downloadText } from '../recordings/download';
import { History } from './History';
import { JobProgress } from './JobProgress';
import { EnvironmentSelect } from '../EnvironmentSelect';
import { ScenarioSelect } from './pickers';

const pair = (p: { recorded?: number; replayed?: number }, unit: string) => {
  if (p.recorded === undefined && p.replayed === undefined) return '—';
  const r = p.recorded === undefined ? '—' : Math.round(p.recorded);
  const n = p.replayed === undefined ? '—' : Math.round(p.replayed);
  const d = p.recorded !== undefined && p.replayed !== undefined ? Math.round(p.replayed - p.recorded) : undefined;
  return `${r} → ${n}${unit}${d !== undefined ? ` (${d >= 0 ? '+' : ''}${d})` : ''}`;
};

function Picker() {
  const store = useAppStore();
  const entries = useStore((s) => s.recordings.entries);
  const picked = useStore((s) => s.qa.picked);
  const all = useStore((s) => s.qa.pickAll);
  const qa = () => store.getState().qa;
  return (
    <table className="rec-table qa-pick" aria-label="Recordings to replay">
      <thead>
        <tr>
          <th>
            <input type="checkbox" aria-label="All recordings (the whole folder)" checked={all} onChange={(e) => qa().setReplay({ pickAll: e.target.checked })} />
          </th>
          <th>Recording</th>
          <th className="num">Turns</th>
          <th>Recorded on</th>
          <th>Last runs</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} className={e.problem ? 'problem' : ''}>
            <td>
              <input type="checkbox" aria-label={`Replay ${e.name}`} disabled={all || Boolean(e.problem) || e.recording} checked={all || picked.includes(e.id)} onChange={() => qa().togglePick(e.id)} />
            </td>
            <td className="mono">{e.name}</td>
            <td className="num">{e.turns}</td>
            <td className="muted">{[e.environment, e.scenario].filter(Boolean).join(' · ')}</td>
            <td>
              <History id={e.id} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Row({ t, jobId }: { t: ReplayTurnData; jobId: string }) {
  const store = useAppStore();
  const open = useStore((s) => s.qa.turnDiff?.jobId === jobId && s.qa.turnDiff.cassette === t.cassette && s.qa.turnDiff.turn === t.index);
  const failed = t.checks.filter((c) => !c.ok);
  return (
    <>
      <tr className={t.ok ? 'qa-pass' : 'qa-fail'}>
        <td className="mono">{t.id.replace(/\.jsonl$/, '')}</td>
        <td className="num">{t.index + 1}</td>
        <td className="qa-input" title={t.input}>
          {t.input}
          {t.scenario ? <span className="muted small"> · {t.scenario}</span> : null}
        </td>
        <td>
          <span className={`badge small ${t.ok ? 'good' : 'badbg'}`}>{t.ok ? 'pass' : t.error ? 'error' : 'fail'}</span>
        </td>
        <td className="qa-checks">
          {t.checks.map((c, i) => (
            <span key={`${c.check}${i}`} className={`qa-check ${c.ok ? 'ok' : 'ko'}`} title={`expected ${c.expected}, got ${c.got}`}>
              {c.ok ? '✓' : '✗'} {c.check}
            </span>
          ))}
        </td>
        <td className="num">{t.similarity === undefined ? '—' : `${Math.round(t.similarity * 100)} %`}</td>
        <td className="num">{pair(t.ttftMs, ' ms')}</td>
        <td className="num">{pair(t.totalTokens, '')}</td>
        <td>
          {!t.ok && !t.error ? (
            <button type="button" className="btn small" aria-pressed={open} onClick={() => void (open ? store.getState().qa.closeTurnDiff() : store.getState().qa.openTurnDiff(jobId, t.cassette, t.index))}>
              {open ? 'Hide diff' : 'Diff'}
            </button>
          ) : null}
        </td>
      </tr>
      {failed.length || t.error ? (
        <tr className="qa-why">
          <td colSpan={9}>
            {t.error ? <div className="bad">error: {t.error}</div> : null}
            {failed.map((c, i) => (
              <div key={`${c.check}${i}`}>
                <strong>{c.check}</strong> <span className="muted">expected</span> {c.expected} <span className="muted">got</span> <span className="bad">{c.got}</span>
              </div>
            ))}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function TurnDiff() {
  const store = useAppStore();
  const td = useStore((s) => s.qa.turnDiff);
  const ref = useRef<HTMLDivElement>(null);
  // Scrolled to the first difference: the first changed text part, else the card itself.
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) return;
    const first = root.querySelector('.diff-del, .diff-ins') ?? root;
    first.scrollIntoView({ block: 'center' });
  }, [td]);
  if (!td) return null;
  return (
    <section className="rec-detail" aria-label="Replay diff" ref={ref}>
      <div className="rec-detail-head">
        <h2>
          {td.id.replace(/\.jsonl$/, '')} · turn {td.turn + 1}
        </h2>
        <span className="muted">A = recorded, B = replayed</span>
        <button type="button" className="btn small" onClick={() => store.getState().qa.closeTurnDiff()}>
          Close
        </button>
      </div>
      <ol className="rec-turns">
        <TurnCard t={td.diff} />
      </ol>
    </section>
  );
}

function Results() {
  const store = useAppStore();
  const jobId = useStore((s) => s.qa.current.replay);
  const job = useStore((s) => (jobId ? s.qa.jobs[jobId] : undefined));
  const run = useStore((s) => (jobId ? s.qa.replays[jobId] : undefined));
  if (!job || !jobId) return null;
  const totals = run?.totals;
  return (
    <>
      <JobProgress job={job} unit="cassettes and turns" />
      <div className="qa-row">
        {totals ? (
          <span className={`badge ${run?.ok ? 'good' : 'badbg'}`} role="status" aria-label="Replay verdict">
            {run?.ok ? 'PASS' : 'FAIL'}: {totals.passed} passed, {totals.failed} failed, {totals.errors} errors
          </span>
        ) : null}
        <button
          type="button"
          className="btn small"
          disabled={job.state === 'running' || !totals}
          onClick={() =>
            void store
              .getState()
              .qa.junit(jobId)
              .then((f) => f && downloadText(f.fileName, f.content, 'application/xml'))
          }
        >
          Export JUnit
        </button>
      </div>
      {run?.cassettes
        .filter((c) => c.error || c.warnings.length)
        .map((c) => (
          <p key={c.id} className={c.error ? 'errbox' : 'warnbox'}>
            {c.id}: {c.error ?? c.warnings.join('; ')}
          </p>
        ))}
      <table className="rec-table qa-results" aria-label="Replay results">
        <thead>
          <tr>
            <th>Cassette</th>
            <th className="num">Turn</th>
            <th>Input</th>
            <th>Result</th>
            <th>Checks</th>
            <th className="num">Similarity</th>
            <th className="num">TTFT</th>
            <th className="num">Tokens</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(run?.turns ?? []).map((t) => (
            <Row key={`${t.cassette}|${t.index}`} t={t} jobId={jobId} />
          ))}
        </tbody>
      </table>
      <TurnDiff />
    </>
  );
}

export function ReplayPanel() {
  const store = useAppStore();
  const env = useStore((s) => s.qa.replayEnv);
  const scenario = useStore((s) => s.qa.replayScenario);
  const speed = useStore((s) => s.qa.speed);
  const count = useStore((s) => (s.qa.pickAll ? s.recordings.entries.length : s.qa.picked.length));
  const running = useStore((s) => (s.qa.current.replay ? s.qa.jobs[s.qa.current.replay]?.state === 'running' : false));
  const qa = () => store.getState().qa;
  useEffect(() => {
    void store.getState().recordings.load();
  }, [store]);
  return (
    <div className="qa-replay">
      <Picker />
      <div className="qa-row qa-controls">
        <EnvironmentSelect label="Replay against" value={env} onChange={(v) => qa().setReplay({ replayEnv: v })} />
        <ScenarioSelect label="Scenario" environment={env} value={scenario} onChange={(v) => qa().setReplay({ replayScenario: v })} none="as recorded" />
        <fieldset className="qa-speed" aria-label="Speed">
          <label>
            <input type="radio" name="speed" checked={speed === 'recorded'} onChange={() => qa().setReplay({ speed: 'recorded' })} /> recorded timing
          </label>
          <label>
            <input type="radio" name="speed" checked={speed === 'fast'} onChange={() => qa().setReplay({ speed: 'fast' })} /> as fast as possible
          </label>
        </fieldset>
        <button type="button" className="btn primary" disabled={count === 0 || running} onClick={() => void qa().replay()}>
          ▶ Replay {count ? `(${count})` : ''}
        </button>
      </div>
      <Results />
    </div>
  );
}
