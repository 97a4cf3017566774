// A row of the lanes that is not answer text: a structured output (its kind, one-line summary, and its JSON
// on demand), the connection breaking and coming back, or a change of who speaks. Both lanes draw the row
// at the same place; the filtered lane says what of it reaches the end user. Everything from the wire is
// shown as text through visibleString, never as markup.
import type { TurnData } from '../../store/turn-model';
import { describeConnection, describeSource, jsonLines, STRUCTURED_KIND_LABELS, type LaneMark } from '../../store/lane-marks';
import { jsonRows, markKey } from '../../text/lane-layout';
import { visibleString } from '../../text/visible';
import { secs } from '../format';
import type { LaneKind } from './LaneRow';

function at(m: LaneMark) {
  return <span className="mk-at">+{secs(m.at)}</span>;
}

function StructuredHead({ m, kind, turnId, index, expanded }: { m: Extract<LaneMark, { kind: 'structured' }>; kind: LaneKind; turnId: string; index: number; expanded: boolean }) {
  const e = m.event;
  const label = STRUCTURED_KIND_LABELS[e.kind];
  if (kind === 'filtered') {
    return (
      <span className="mark-row mr-structured" title="The filter works on answer text only: this output reaches the end user's client as it was sent">
        <span className="mk-glyph" aria-hidden="true">▣</span>
        <span className="mk-kind">{label}</span>
        <span className="mk-sum">{visibleString(e.summary)}</span>
        <span className="muted">reaches the end user as sent (not filtered)</span>
      </span>
    );
  }
  return (
    <span className="mark-row mr-structured">
      <span className="mk-glyph" aria-hidden="true">▣</span>
      <span className="mk-kind">{label}</span>
      <button
        type="button"
        className="btn tiny mk-json"
        data-mark-toggle={markKey(turnId, index)}
        aria-expanded={expanded}
        aria-label={`${expanded ? 'Hide' : 'Show'} the JSON of ${label} at ${e.path} (output ${e.frame})`}
      >
        {expanded ? 'JSON ▴' : 'JSON ▸'}
      </button>
      <span className="mk-sum" title={visibleString(e.summary)}>
        {visibleString(e.summary)}
      </span>
      <span className="mk-meta">
        output {e.frame} · {visibleString(e.path)}
        {e.source && e.source !== 'bot' ? ` · ${visibleString(e.source)}` : ''} · {e.bytes.toLocaleString('en-US')} B
      </span>
      {at(m)}
    </span>
  );
}

function ConnectionHead({ m, kind }: { m: Extract<LaneMark, { kind: 'connection' }>; kind: LaneKind }) {
  const e = m.event;
  const broke = e.state === 'disconnected' || e.state === 'gave-up';
  const text =
    kind === 'raw'
      ? describeConnection(e)
      : e.state === 'disconnected'
        ? 'the end user’s answer breaks here too: what the endpoint sent meanwhile never arrives'
        : describeConnection(e);
  return (
    <span className={`mark-row mr-conn ${broke ? 'mr-bad' : ''}`} role={broke ? 'note' : undefined} aria-label={broke ? `Connection: ${text}` : undefined}>
      <span className="mk-glyph" aria-hidden="true">
        {e.state === 'disconnected' ? '⚡' : e.state === 'gave-up' ? '✗' : '↻'}
      </span>
      <span className="mk-sum" title={visibleString(text)}>
        {visibleString(text)}
      </span>
      {e.state === 'disconnected' && kind === 'raw' ? <span className="mk-meta">at char {m.position}</span> : null}
      {at(m)}
    </span>
  );
}

export function MarkRowContent({ turn, index, sub, kind, cols, expanded }: { turn: TurnData; index: number; sub: number; kind: LaneKind; cols: number; expanded: boolean }) {
  const m = turn.marks[index];
  if (!m) return null;
  if (sub > 0) {
    // A JSON row of an expanded structured output (raw lane; the filtered lane keeps the grid with a blank).
    if (kind === 'filtered' || m.kind !== 'structured') return <span className="mark-json blank" />;
    const r = jsonRows(turn, index, cols)[sub - 1];
    if (!r) return null;
    const line = jsonLines(m.event)[r[0]] ?? '';
    return <span className="mark-json">{visibleString(line.slice(r[1], r[2]))}</span>;
  }
  switch (m.kind) {
    case 'structured':
      return <StructuredHead m={m} kind={kind} turnId={turn.turnId} index={index} expanded={expanded} />;
    case 'connection':
      return <ConnectionHead m={m} kind={kind} />;
    case 'source':
      return (
        <span className={`mark-row mr-source src-${m.source === 'agent' || m.source === 'engagement' || m.source === 'bot' ? m.source : 'other'}`}>
          <span className="mk-glyph" aria-hidden="true">
            {m.source === 'agent' ? '👤' : m.source === 'engagement' ? '✦' : '🤖'}
          </span>
          <span className="mk-sum" title={visibleString(describeSource(m.source))}>
            {visibleString(describeSource(m.source))}
          </span>
          {kind === 'raw' ? <span className="mk-meta">output {m.frame}</span> : null}
          {at(m)}
        </span>
      );
    case 'typing':
      return null;
  }
}
