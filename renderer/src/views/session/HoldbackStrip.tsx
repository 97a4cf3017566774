// Live hold-back of the streaming turn: how many raw characters the filter has not released yet, and
// which detectors are still deciding (the held text itself is marked in the raw lane).
import { useStore } from '../../store/store';
import { outboxText } from '../format';

export function HoldbackStrip() {
  const info = useStore((s) => {
    const id = s.session.activeTurnId;
    const t = id ? s.session.turns.byId[id] : undefined;
    return t ? `${t.holdback}|${t.holdbackReason.join(',')}` : '';
  });
  const pending = useStore((s) => s.sync.pending);
  const failed = useStore((s) => s.sync.failed);
  const [countText, reasons] = info.split('|');
  const count = Number(countText || 0);
  return (
    <div className="strip" role="status" aria-label="Hold-back">
      <span className={`hb ${count > 0 ? 'on' : ''}`}>
        <b>Hold-back</b>{' '}
        {info === '' ? 'idle' : count > 0 ? `${count} char${count === 1 ? '' : 's'} not released yet — pending ${reasons || 'detector'}` : 'nothing held back'}
      </span>
      <span className={`outbox${failed ? ' bad' : ''}`} title="Answers whose sync has not gone through yet, or was refused (kept on disk until retried or discarded)">
        {outboxText(pending, failed)}
      </span>
    </div>
  );
}
