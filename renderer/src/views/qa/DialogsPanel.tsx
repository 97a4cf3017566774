// Dialogs: write a multi-turn script (one user input per line, or a JSON line with its own scenario) in the
// very format `record --script` reads, checked by main as typed with problems at their line; save it, and
// record it against an environment into a cassette with progress per turn and Cancel.
import { useEffect, useState } from 'react';
import type { ScenarioName } from '../../../../shared/scenarios';
import { useAppStore, useStore } from '../../store/store';
import { JobProgress } from './JobProgress';
import { EnvironmentSelect } from '../EnvironmentSelect';
import { ScenarioSelect } from './pickers';
import { ScriptEditor } from './ScriptEditor';

const PLACEHOLDER =
  '# one user input per line; a JSON line gives a turn its own scenario and assertions\nTell me about my card\n{"input": "And my email?", "scenario": "pii", "assert": [{"kind": "noHit", "type": "EMAIL_ADDRESS", "actions": ["off"]}]}';

function RecordBar() {
  const store = useAppStore();
  const [env, setEnv] = useState('demo');
  const [scenario, setScenario] = useState<ScenarioName | undefined>(undefined);
  const jobId = useStore((s) => s.qa.current.record);
  const job = useStore((s) => (jobId ? s.qa.jobs[jobId] : undefined));
  const canRecord = useStore((s) => Boolean(s.qa.draft.check && s.qa.draft.check.errors.length === 0 && s.qa.draft.text.trim()));
  const running = job?.state === 'running';
  return (
    <div className="qa-run">
      <div className="qa-row">
        <EnvironmentSelect label="Record against" value={env} onChange={setEnv} />
        <ScenarioSelect label="Default scenario" environment={env} value={scenario} onChange={setScenario} none="happy (unless a turn names one)" />
        <button type="button" className="btn primary" disabled={!canRecord || running} onClick={() => void store.getState().qa.record(env, scenario)}>
          ● Record
        </button>
      </div>
      {job ? <JobProgress job={job} unit="turns" /> : null}
      {job && job.state !== 'running' && job.recording ? (
        <p className="qa-row">
          <span className="muted">Cassette</span> <span className="mono">{job.recording}</span>
          <button
            type="button"
            className="btn small"
            onClick={() => {
              const qa = store.getState().qa;
              qa.setReplay({ picked: [job.recording as string], pickAll: false });
              qa.setTab('replay');
            }}
          >
            Replay it…
          </button>
        </p>
      ) : null}
    </div>
  );
}

export function DialogsPanel() {
  const store = useAppStore();
  const dialogs = useStore((s) => s.qa.dialogs);
  const draft = useStore((s) => s.qa.draft);
  const qa = () => store.getState().qa;
  useEffect(() => {
    void store.getState().qa.loadDialogs();
    if (store.getState().qa.draft.check === undefined) void store.getState().qa.editDraft({});
  }, [store]);
  const errors = draft.check?.errors ?? [];
  const bad = new Set(errors.map((e) => e.line));
  return (
    <div className="qa-split">
      <aside className="qa-list" aria-label="Dialog scripts">
        <div className="qa-row">
          <h2>Dialogs</h2>
          <button type="button" className="btn small" onClick={() => qa().newDraft()}>
            New
          </button>
        </div>
        <ul>
          {dialogs.map((d) => (
            <li key={d.name} className={draft.savedAs === d.name ? 'on' : ''}>
              <button type="button" className="linkish" onClick={() => void qa().openDialog(d.name)}>
                {d.name}
              </button>
              <span className="muted small"> {d.turns} turns</span>
              {d.problem ? <span className="bad small"> {d.problem}</span> : null}
            </li>
          ))}
        </ul>
        {dialogs.length === 0 ? <p className="muted small">No dialog scripts yet.</p> : null}
      </aside>
      <section className="qa-main" aria-label="Dialog script">
        <div className="qa-row">
          <label className="field inline">
            <span>Name</span>
            <input aria-label="Dialog name" value={draft.name} onChange={(e) => void qa().editDraft({ name: e.target.value })} />
          </label>
          <span className="muted small mono">{draft.name}.txt</span>
          <button type="button" className="btn" disabled={errors.length > 0 || !draft.text.trim()} onClick={() => void qa().saveDraft()}>
            Save
          </button>
          {draft.savedAs ? (
            <button type="button" className="btn small" onClick={() => void qa().deleteDialog(draft.savedAs as string)}>
              Delete
            </button>
          ) : null}
          {draft.dirty ? <span className="muted small">unsaved changes</span> : null}
        </div>
        <ScriptEditor label="Dialog script" value={draft.text} onChange={(text) => void qa().editDraft({ text })} badLines={bad} placeholder={PLACEHOLDER} />
        {errors.length ? (
          <ul className="qa-problems" aria-label="Script problems">
            {errors.map((e) => (
              <li key={`${e.line}|${e.message}`} className="bad">
                {e.line ? `line ${e.line}: ` : ''}
                {e.message}
              </li>
            ))}
          </ul>
        ) : null}
        <table className="rec-table qa-turns" aria-label="Script turns">
          <thead>
            <tr>
              <th className="num">#</th>
              <th className="num">Line</th>
              <th>User input</th>
              <th>Scenario</th>
              <th className="num">Assertions</th>
            </tr>
          </thead>
          <tbody>
            {(draft.check?.turns ?? []).map((t, i) => (
              <tr key={t.line}>
                <td className="num">{i + 1}</td>
                <td className="num muted">{t.line}</td>
                <td>{t.input}</td>
                <td className="muted">{t.scenario ?? '—'}</td>
                <td className="num muted">{Array.isArray(t.assert) ? t.assert.length : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <RecordBar />
      </section>
    </div>
  );
}
