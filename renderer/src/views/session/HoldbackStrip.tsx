// Live hold-back of the streaming turn: how many raw characters the filter has not released yet, and
// which detectors are still deciding (the held text itself is marked in the raw lane); beside it the
// outbox count. Two parts with their own subscriptions: the hold-back follows the stream's batches like
// the lanes, the outbox count only the sync status.
import { useStore } from '../../store/store';
import { Counted } from '../Counted';
import { outboxText } from '../format';

function Holdback() {
  const info = useStore((s) => {
    const id = s.session.activeTurnId;
    const t = id ? s.session.turns.byId[id] : undefined;
    return t ? `${t.holdback}|${t.holdbackReason.join(',')}` : '';
  });
  const [countText, reasons] = info.split('|');
  const count = Number(countText || 0);
  return (
    <span className={`hb ${count > 0 ? 'on' : ''}`}>
      <b>Hold-back</b>{' '}
      {info === '' ? 'idle' : count > 0 ? `${count} char${count === 1 ? '' : 's'} not released yet — pending ${reasons || 'detector'}` : 'nothing held back'}
    </span>
  );
}

function OutboxCount() {
  const pending = useStore((s) => s.sync.pending);
  const failed = useStore((s) => s.sync.failed);
  return (
    <span className={`outbox${failed ? ' bad' : ''}`} title="Answers whose sync has not gone through yet, or was refused (kept on disk until retried or discarded)">
      {outboxText(pending, failed)}
    </span>
  );
}

export function HoldbackStrip() {
  return (
    <div className="strip" role="status" aria-label="Hold-back">
      <Counted id="HoldbackStrip.holdback">
        <Holdback />
      </Counted>
      <Counted id="HoldbackStrip.outbox">
        <OutboxCount />
      </Counted>
    </div>
  );
}
