// The selected turn's timeline: what happened when, beside the tokens — typing on/off from the bot and from
// you, the connection (connect, ready, lost, reconnecting, back), structured outputs and a change of speaker
// — with the first token and the end for orientation. Times are ms since the turn started, as every event's.
import { useStore, useAppStore } from '../../store/store';
import { describeMark, type LaneMark } from '../../store/lane-marks';
import { visibleString } from '../../text/visible';
import { TURN_STATUS_INFO } from '../../../../shared/turn-status';
import { secs, STATUS_LABELS } from '../format';

interface Item {
  at: number;
  kind: string;
  text: string;
  bad?: boolean;
}

const KIND: Record<LaneMark['kind'], string> = { structured: 'output', connection: 'connection', typing: 'typing', source: 'speaker' };

export function Timeline({ turnId }: { turnId: string }) {
  const store = useAppStore();
  // Marks are appended in place: their count (and the status) says when to read the turn again.
  const marks = useStore((s) => s.session.turns.byId[turnId]?.marks.length ?? 0);
  const status = useStore((s) => s.session.turns.byId[turnId]?.status);
  // Not subscribed to tokens: the first token shows when the Timing view redraws (it does per 500 tokens).
  const t = store.getState().session.turns.byId[turnId];
  if (!t || (marks === 0 && t.tokens.at.length === 0)) return null;
  const items: Item[] = t.marks.map((m) => ({
    at: m.at,
    kind: KIND[m.kind],
    text: describeMark(m),
    bad: m.kind === 'connection' && (m.event.state === 'disconnected' || m.event.state === 'gave-up'),
  }));
  const first = t.tokens.at[0];
  if (first !== undefined) items.push({ at: first, kind: 'token', text: 'first token' });
  if (t.end && status && status !== 'streaming') {
    const info = TURN_STATUS_INFO[status];
    items.push({ at: t.end.at, kind: 'end', text: `turn ended: ${STATUS_LABELS[status]}${info.whole ? ' (the whole answer arrived)' : status === 'cancelled' ? '' : ' (the answer is not whole)'}`, bad: info.tone === 'warn' || info.tone === 'error' });
  }
  items.sort((a, b) => a.at - b.at);
  return (
    <section aria-label="Timeline">
      <h3>Timeline</h3>
      <ol className="timeline">
        {items.map((it, i) => (
          <li key={i} className={it.bad ? 'tl-bad' : undefined}>
            <span className="tl-at">+{secs(it.at)}</span>
            <span className="tl-kind">{it.kind}</span>
            <span>{visibleString(it.text)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
