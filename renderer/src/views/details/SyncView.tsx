// Sync status per answer: a timeline (queued → sending → retrying in N s (cause) → synced / failed) with
// "Retry now", and the outbox count (syncs kept on disk until they go through).
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore, useStore } from '../../store/store';
import type { SyncStep, SyncTimeline } from '../../store/sync-slice';
import { outboxText } from '../format';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function stepLabel(s: SyncStep, now: number, current: boolean): string {
  if (s.state === 'retrying') {
    // The current step counts down; an earlier one keeps the wait it announced.
    const left = s.nextAttemptAt === undefined ? undefined : Math.max(0, (s.nextAttemptAt - (current ? now : s.receivedAt)) / 1000);
    return `retrying${left === undefined ? '' : ` in ${left.toFixed(1)} s`}${s.cause ? ` (${s.cause})` : ''}`;
  }
  if (s.state === 'failed') return `failed${s.cause ? ` (${s.cause})` : ''}`;
  if (s.state === 'sending') return `sending #${s.attempt}`;
  return s.state;
}

function Timeline({ tl, ordinal, now }: { tl: SyncTimeline; ordinal?: number; now: number }) {
  const store = useAppStore();
  const retrying = useStore((s) => Boolean(s.sync.retrying[tl.syncId]));
  const canRetry = tl.state === 'retrying' || tl.state === 'failed' || tl.state === 'queued';
  const last = tl.steps[tl.steps.length - 1];
  return (
    <li className={`sync-item s-${tl.state}`}>
      <div className="sync-head">
        <span className="k">{ordinal ? `turn #${ordinal}` : tl.turnId.slice(0, 13)}</span>
        <span className="muted">{tl.target === 'gateway-variables' ? 'dialog variables' : 'context inject'}</span>
        <span className={`badge sync-${tl.state}`}>{tl.state}</span>
        <button type="button" className="btn small" disabled={!canRetry || retrying} onClick={() => void store.getState().sync.retry(tl.syncId)}>
          Retry now
        </button>
      </div>
      <ol className="steps" aria-label={`sync timeline of ${ordinal ? `turn ${ordinal}` : tl.syncId}`}>
        {tl.steps.map((s, i) => (
          <li key={i} className={`step s-${s.state}`} title={s.detail}>
            {stepLabel(s, now, s === last)}
          </li>
        ))}
      </ol>
      {last?.detail ? <div className="muted detail">{last.detail}</div> : null}
    </li>
  );
}

export function SyncView() {
  const order = useStore((s) => s.sync.order);
  const byId = useStore((s) => s.sync.byId);
  const pending = useStore((s) => s.sync.pending);
  const failed = useStore((s) => s.sync.failed);
  const error = useStore((s) => s.sync.error);
  // Each timeline's turn number, not the turns (which change with every token batch).
  const ordinals = useStore(useShallow((s) => s.sync.order.map((id) => s.session.turns.byId[s.sync.byId[id]!.turnId]?.ordinal)));
  const anyRetrying = order.some((id) => byId[id]?.state === 'retrying');
  const now = useNow(anyRetrying);
  return (
    <div className="sync">
      <p className="kv-line">
        <b>{outboxText(pending, failed)}</b> {pending ? '· pending syncs are kept on disk and retried on the next start if this one ends' : ''}
        {failed ? ' · failed syncs wait for Retry now' : ''}
      </p>
      {error ? <p className="errbox">{error}</p> : null}
      {order.length === 0 ? (
        <p className="hint">A complete answer is written back into the dialog (gateway variables, or context inject for a socket endpoint with an API URL). Its sync shows here.</p>
      ) : (
        <ul className="sync-list">
          {order
            .map((id, i) => <Timeline key={id} tl={byId[id]!} ordinal={ordinals[i]} now={now} />)
            .reverse()}
        </ul>
      )}
    </div>
  );
}
