// One QA job's progress as main reports it: a bar over cassettes and turns, what runs now, Cancel, and how it
// ended (a job the app stopped while closing says so instead of looking finished).
import type { QaJob } from '../../../../shared/qa-ipc';
import { useAppStore } from '../../store/store';

const STATE_LABEL: Record<QaJob['state'], string> = {
  running: 'running',
  done: 'finished',
  cancelled: 'cancelled — what ran so far is kept',
  failed: 'failed',
  stopped: 'stopped by the app (it was closing) — what ran so far is kept',
};

export function JobProgress({ job, unit }: { job: QaJob; unit: 'turns' | 'cassettes and turns' }) {
  const store = useAppStore();
  const { cassettes, turns } = job.progress;
  const total = Math.max(turns.total, 1);
  const pct = job.state === 'running' ? Math.round((turns.done / total) * 100) : 100;
  return (
    <div className={`qa-job st-${job.state}`} aria-label={`${job.kind} progress`}>
      <div className="qa-job-head">
        <strong>{job.title}</strong>
        <span className="muted"> on {job.environment}</span>
        <span className={`badge small qa-state-${job.state}`}>{STATE_LABEL[job.state]}</span>
        {job.state === 'running' ? (
          <button type="button" className="btn small danger" onClick={() => void store.getState().qa.cancel(job.id)}>
            Cancel
          </button>
        ) : null}
      </div>
      <div className="qa-bar" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={turns.done} aria-label={`${turns.done} of ${turns.total} turns`}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <div className="muted small">
        {unit === 'cassettes and turns' ? `${cassettes.done}/${cassettes.total} cassettes · ` : ''}
        {turns.done}/{turns.total} turns{job.progress.current ? ` · ${job.progress.current}` : ''}
        {job.error ? <span className="bad"> · {job.error}</span> : null}
      </div>
    </div>
  );
}
