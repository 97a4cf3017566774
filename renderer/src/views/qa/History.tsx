// A recording's last replay runs (kept main-side in the data dir) as a strip of pass/fail marks, oldest
// first, each with its date and environment: when did this dialog start failing.
import { useEffect } from 'react';
import { useAppStore, useStore } from '../../store/store';

export function History({ id }: { id: string }) {
  const store = useAppStore();
  const runs = useStore((s) => s.qa.history[id]);
  useEffect(() => {
    void store.getState().qa.loadHistory(id);
  }, [store, id]);
  if (!runs || runs.length === 0) return <span className="muted small">no runs yet</span>;
  const last = runs[runs.length - 1]!;
  return (
    <span className="qa-history" role="img" aria-label={`${id} history: ${runs.map((r) => (r.ok ? 'pass' : 'fail')).join(', ')}`}>
      {runs.map((r, i) => (
        <span key={`${r.at}${i}`} className={`qa-spark ${r.ok ? 'ok' : 'ko'}`} title={`${new Date(r.at).toLocaleString()} · ${r.environment}${r.scenario ? ` (${r.scenario})` : ''} · ${r.ok ? 'pass' : `${r.failed} failed, ${r.errors} errors`}`} />
      ))}
      <span className="muted small"> {last.ok ? 'pass' : 'fail'} · {new Date(last.at).toLocaleDateString()}</span>
    </span>
  );
}
