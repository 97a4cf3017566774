// The third lane: what Webchat v3 would show of each Socket Endpoint turn (bubbles, from the core's
// webchat.* events) and, in place, where that differs from the answer — text Webchat drops is shown struck
// through in the bubble it was meant for, and every warning is listed under the turn. Text is rendered as
// text (visibleString), never as markup.
import { memo } from 'react';
import type { WebchatWarningEvent } from '../../../../shared/events';
import { WEBCHAT_MODE_LABELS, WEBCHAT_MODE_NAMES, WEBCHAT_MODES, type WebchatFlags, type WebchatMode } from '../../../../shared/webchat';
import { useAppStore, useStore } from '../../store/store';
import type { WebchatBubbleView } from '../../store/webchat-view';
import { visibleString } from '../../text/visible';
import './webchat-lane.css';
import { kindInfo } from '../../../../shared/upstream-kinds';

const WARNING_LABELS: Record<WebchatWarningEvent['kind'], string> = {
  'closing-text-dropped': 'words dropped',
  'chunk-discarded': 'chunk discarded',
  'rich-dropped': 'rich content dropped',
  'split-bubbles': 'split into bubbles',
};

/** W8/W10 at display: pieces cut at newlines; without collation a bot bubble starts trimmed. */
function bubbleLines(b: WebchatBubbleView, flags: WebchatFlags | undefined): string[] {
  let text = b.pieces.join('');
  if (flags && !flags.collateStreamedOutputs && (b.source === 'bot' || b.source === 'engagement')) text = text.trimStart();
  return text.split('\n');
}

function Bubble({ b, flags, dropped }: { b: WebchatBubbleView; flags?: WebchatFlags; dropped: WebchatWarningEvent[] }) {
  const agent = b.source !== 'bot' && b.source !== 'engagement';
  return (
    <li className={`wc-bubble wc-${b.kind}${agent ? ' wc-agent' : ''}`} data-bubble={b.index}>
      {b.source !== 'bot' ? <span className="wc-source">{b.source}</span> : null}
      {b.summary ? <div className="wc-summary">{visibleString(b.summary)}</div> : null}
      {b.kind === 'text' || b.pieces.length
        ? bubbleLines(b, flags).map((line, i) => (
            <div key={i} className="wc-line">
              {visibleString(line) || '\u00a0'}
            </div>
          ))
        : null}
      {dropped.map((w, i) => (
        <del key={i} className="wc-lost" title="Webchat does not show this text">
          {visibleString(w.text ?? '')}
        </del>
      ))}
      {!b.finished ? <span className="wc-typing" aria-label="still streaming">…</span> : null}
    </li>
  );
}

const WebchatTurn = memo(function WebchatTurn({ turnId }: { turnId: string }) {
  const view = useStore((s) => s.session.turns.byId[turnId]?.webchat);
  const ordinal = useStore((s) => s.session.turns.byId[turnId]?.ordinal);
  const input = useStore((s) => s.session.turns.byId[turnId]?.input);
  if (!view) return null;
  const flags = view.settings?.flags;
  const droppedAt = (i: number) => view.warnings.filter((w) => w.kind === 'closing-text-dropped' && w.bubble === i);
  return (
    <div className="wc-turn" data-turn={turnId}>
      <div className="wc-user">
        <span className="wc-ordinal">#{ordinal}</span> {visibleString(input ?? '')}
      </div>
      {view.settings?.from === 'default' ? <p className="wc-note">{view.settings.detail}</p> : null}
      {view.bubbles.length === 0 ? <p className="wc-note">Webchat shows no bubble (yet).</p> : null}
      <ul className="wc-bubbles" aria-label={`Webchat bubbles of turn ${ordinal}`}>
        {view.bubbles.map((b) => (
          <Bubble key={b.index} b={b} flags={flags} dropped={droppedAt(b.index)} />
        ))}
      </ul>
      {view.warnings.length ? (
        <ul className="wc-warnings" aria-label={`Webchat warnings of turn ${ordinal}`}>
          {view.warnings.map((w, i) => (
            <li key={i} className={`wc-warning wc-w-${w.kind}`} role="note">
              <strong>⚠ {WARNING_LABELS[w.kind]}</strong> {w.detail}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});

export function WebchatLane() {
  const store = useAppStore();
  const order = useStore((s) => s.session.turns.order);
  const upstream = useStore((s) => s.session.upstream);
  const mode = useStore((s) => s.session.webchatMode);
  const socket = upstream !== undefined && kindInfo(upstream).webchat;
  return (
    // Off, or not a Socket Endpoint session: the column folds to its header so the lanes get the width back.
    <section className={`lane lane-webchat ${!socket || mode === 'off' ? 'folded' : ''}`} role="region" aria-label="Webchat preview">
      <header className="lane-head">
        <h2>Webchat</h2>
        <select
          aria-label="Webchat preview mode"
          title={mode === 'off' ? 'No preview' : WEBCHAT_MODE_LABELS[mode]}
          value={mode}
          disabled={!socket}
          onChange={(e) => store.getState().session.setWebchatMode(e.target.value as WebchatMode | 'off')}
        >
          {WEBCHAT_MODES.map((m) => (
            <option key={m} value={m} title={WEBCHAT_MODE_LABELS[m]}>
              {WEBCHAT_MODE_NAMES[m]}
            </option>
          ))}
          <option value="off">Off</option>
        </select>
      </header>
      <div className="lane-scroll wc-scroll" tabIndex={0} aria-label="Webchat preview, scrollable">
        {!socket ? (
          <div className="lane-empty" title="Webchat speaks the Socket Endpoint: open a Socket Endpoint environment to see what its end users would get.">
            Socket Endpoint sessions only.
          </div>
        ) : (
          <>
            {order.length === 0 ? <div className="lane-empty">The bubbles Webchat would show appear here.</div> : null}
            {order.map((id) => (
              <WebchatTurn key={id} turnId={id} />
            ))}
            {mode === 'off' ? <div className="lane-empty">Preview off.</div> : null}
          </>
        )}
      </div>
    </section>
  );
}
