// One row of a lane: a turn header, a slice of a line (with token, hit, mask, hold-back and selection
// styling), or a footer (error with its typed cause, fallback, status). Every piece of answer text is a
// React text node; hostile text is shown through toVisible (markers for invisible/control characters).
import { memo, useContext, useLayoutEffect, useState } from 'react';
import { toVisible, visibleString } from '../../text/visible';
import type { TurnData } from '../../store/turn-model';
import { finalErrors, lineText, retriedErrors, type RowRef } from '../../text/lane-layout';
import type { ErrorEvent } from '../../../../shared/events';
import { describeDamage, endUserReceived, TURN_STATUS_INFO } from '../../../../shared/turn-status';
import { rowBreaks } from '../../text/visible';
import { CAUSE_LABELS, STATUS_LABELS, secs, truncate } from '../format';
import { describeMark, STRUCTURED_KIND_LABELS, type LaneMark } from '../../store/lane-marks';
import { MarkRowContent } from './MarkRow';
import { filteredPieces, isPlainRow, rawPieces, tokenShades, type Piece, type ShadeRun } from './segments';
import { ShadeRowsContext } from './shade-canvas';

export type LaneKind = 'raw' | 'filtered';

export interface LaneRowProps {
  kind: LaneKind;
  turn: TurnData;
  /** Changes whenever the turn does (memo key). */
  version: number;
  row: RowRef;
  cols: number;
  boundaries: boolean;
  selection?: { start: number; end: number };
  selectedTurn: boolean;
  top: number;
  height: number;
  /** Mark rows: the structured output's JSON is shown. */
  expanded?: boolean;
}

function pieceClass(p: Piece, kind: LaneKind): string {
  const c = ['pc'];
  if (p.tokenParity !== undefined) c.push(p.tokenParity ? 'tok-b' : 'tok-a');
  if (p.tokenStart) c.push('tok-start');
  if (p.hit) c.push(kind === 'raw' ? 'hit' : 'masked', `act-${p.hit.action}`);
  if (p.hitStart) c.push('hit-start');
  if (p.held) c.push('held');
  if (p.selected) c.push('sel');
  if (p.damaged) c.push('damaged');
  return c.join(' ');
}

/** The short label of an inline marker (drawn by CSS from data-label, so it is never copied with the text). */
function inlineLabel(m: LaneMark): string {
  switch (m.kind) {
    case 'structured':
      return `▣ ${STRUCTURED_KIND_LABELS[m.event.kind]}`;
    case 'typing':
      return `⌨ ${m.event.from === 'server' ? 'bot' : 'you'} ${m.event.status === 'typingOn' ? 'on' : 'off'}`;
    case 'connection':
      return '⚡ connection lost';
    case 'source':
      return m.source;
  }
}

function PieceView({ p, text, kind }: { p: Piece; text: string; kind: LaneKind }) {
  if (p.mark) {
    const what = describeMark(p.mark);
    return <span className={`lane-mark lm-${p.mark.kind}${p.mark.kind === 'typing' ? ` lm-${p.mark.event.from}` : ''}`} role="img" aria-label={`${what} (at +${secs(p.mark.at)})`} title={`${visibleString(what)} · +${secs(p.mark.at)}`} data-label={inlineLabel(p.mark)} data-o={p.start} />;
  }
  if (p.gap) {
    // Drawn by CSS (::before), so copying the text never copies a marker we invented.
    const what = `frames never received here${p.gap.expectedSeq !== undefined && p.gap.seq !== undefined ? ` (seq ${p.gap.expectedSeq}${p.gap.seq - p.gap.expectedSeq > 1 ? `–${p.gap.seq - 1}` : ''} missing)` : ''}`;
    return <span className="gap-mark" role="img" aria-label={`gap: ${what}`} title={visibleString(p.gap.detail)} data-o={p.start} />;
  }
  const visible = toVisible(text, p.start);
  const title = p.hit
    ? kind === 'raw'
      ? `${p.hit.type} → ${p.hit.action} (raw ${p.hit.rawStart}–${p.hit.rawEnd})`
      : `${p.hit.type} ${p.hit.action}ed (filtered ${p.hit.outStart}–${p.hit.outEnd})`
    : p.damaged
      ? visibleString(p.damaged.detail)
      : p.held
        ? 'held back: not released to the end user yet'
        : undefined;
  const typeLabel = p.hit && p.hitStart ? p.hit.type : undefined;
  const single = visible.length === 1 && visible[0]!.kind === 'text';
  return (
    <span className={pieceClass(p, kind)} data-o={p.start} data-tok={p.token} data-type={typeLabel} title={title}>
      {single
        ? text
        : visible.map((v) =>
            v.kind === 'text' ? (
              <span key={v.start} data-o={v.start}>
                {v.text}
              </span>
            ) : (
              <span key={v.start} className="mk" data-o={v.start} data-m="1" title={v.title}>
                {v.label}
              </span>
            ),
          )}
    </span>
  );
}

function Header({ turn, kind }: { turn: TurnData; kind: LaneKind }) {
  const status = turn.status;
  return (
    <>
      <span className="turn-no">#{turn.ordinal}</span>
      {kind === 'raw' ? (
        <>
          <span className="turn-input" title={visibleString(turn.input)}>
            ▸ {truncate(visibleString(turn.input), 90)}
          </span>
          {turn.scenario ? <span className="tag">{turn.scenario}</span> : null}
        </>
      ) : (
        <span className="turn-input muted">released to the end user</span>
      )}
      <span className={`badge st-${status}`}>{STATUS_LABELS[status]}</span>
      {turn.connectionBroke ? (
        <span className="tag tag-bad" title="The connection broke during this turn: outputs the endpoint sent meanwhile are lost, so the answer is not whole">
          ⚡ connection broke
        </span>
      ) : null}
    </>
  );
}

/** The whole message under its (one-line, clipped) row, on request. */
function WholeMessage({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn tiny expand" aria-expanded={open} aria-label={open ? 'Hide the whole error message' : 'Show the whole error message'} onClick={() => setOpen((o) => !o)}>
        {open ? '▴' : '…'}
      </button>
      {open ? (
        <span className="err-full" role="note" aria-label="Whole error message">
          {text}
        </span>
      ) : null}
    </>
  );
}

function ErrorRow({ err, kind, turn }: { err: ErrorEvent; kind: LaneKind; turn: TurnData }) {
  const code = err.status ?? err.closeCode;
  if (kind === 'raw') {
    return (
      <span className="foot err">
        <span className={`cause c-${err.cause}`}>{err.cause}</span>
        {code !== undefined ? <span className="code-no">{code}</span> : null}
        {err.retry ? (
          <span className="retry">
            attempt {err.retry.attempt} of {err.retry.of} failed · retrying in {secs(err.retry.inMs)}
          </span>
        ) : null}
        <span className="msg" title={visibleString(err.message)}>
          {visibleString(err.message)}
        </span>
        <WholeMessage text={visibleString(err.message)} />
      </span>
    );
  }
  return err.retry ? (
    <span className="foot muted">
      {CAUSE_LABELS[err.cause]}: retrying in {secs(err.retry.inMs)}, nothing shown to the end user yet
    </span>
  ) : (
    <span className="foot fallback">
      <span className={`cause c-${err.cause}`}>{err.cause}</span> {endUserReceived(turn.status === 'streaming' ? 'partial' : turn.status, turn.filtered.length, visibleString(err.fallback))}
    </span>
  );
}

function Footer({ turn, index, kind }: { turn: TurnData; index: number; kind: LaneKind }) {
  const err = finalErrors(turn)[index];
  if (err) return <ErrorRow err={err} kind={kind} turn={turn} />;
  const end = turn.end;
  if (kind === 'raw') {
    return (
      <span className={`foot st st-${turn.status}`}>
        {STATUS_LABELS[turn.status]}
        {turn.cause ? ` (${CAUSE_LABELS[turn.cause]})` : ''} · {end?.tokenCount ?? turn.tokens.at.length} tokens · TTFT {secs(end?.ttftMs)} · {secs(end?.durationMs)}
        {turn.status === 'partial' ? ' · partial answer: kept as received' : ''}
        {end?.damage?.length ? ` · ${describeDamage(end.damage)}` : ''}
        {turn.status !== 'streaming' && turn.status !== 'cancelled' && !TURN_STATUS_INFO[turn.status].whole ? ' · not the whole answer' : ''}
      </span>
    );
  }
  // One statement about the end user: the error row above already says it when the turn failed.
  const said = finalErrors(turn).length > 0;
  return (
    <span className={`foot st st-${turn.status}`}>
      {said || turn.status === 'streaming' ? '' : `${endUserReceived(turn.status, turn.filtered.length, undefined)} · `}
      {turn.hits.length} {turn.hits.length === 1 ? 'detection' : 'detections'}
      {turn.leaks.length ? ' · LEAK DETECTED' : ''}
    </span>
  );
}

/** A line's slice: a plain row's text and shades (drawn as one text node, shades on the lane's canvas), or its pieces. */
type SliceContent = { plain: { a: number; text: string; shades: readonly ShadeRun[] | undefined } } | { pieces: React.ReactNode };

function lineSlice(turn: TurnData, kind: LaneKind, line: number, sub: number, cols: number, boundaries: boolean, selection: { start: number; end: number } | undefined): SliceContent {
  const buf = kind === 'raw' ? turn.raw : turn.filtered;
  const lineStart = buf.starts[line];
  if (lineStart === undefined) return { pieces: null };
  const full = lineText(buf, line);
  const breaks = rowBreaks(full, cols);
  const from = breaks[sub];
  if (from === undefined) return { pieces: null };
  const to = breaks[sub + 1] ?? full.length;
  const a = lineStart + from;
  const b = lineStart + to;
  const lineEnd = to === full.length;
  const pieces = kind === 'raw' ? rawPieces(turn, a, b, { boundaries, selection, lineEnd }) : filteredPieces(turn, a, b, { boundaries, lineEnd });
  const text = full.slice(from, to);
  if (pieces.length && isPlainRow(pieces, text)) return { plain: { a, text, shades: tokenShades(pieces, a) } };
  return {
    pieces: pieces.map((p, i) => <PieceView key={p.gap || p.mark ? `z-${i}` : p.start} p={p} kind={kind} text={full.slice(p.start - lineStart, p.end - lineStart)} />),
  };
}

function sameRow(a: RowRef, b: RowRef): boolean {
  if (a.kind !== b.kind || a.turn !== b.turn) return false;
  if (a.kind === 'line' && b.kind === 'line') return a.line === b.line && a.sub === b.sub;
  if ((a.kind === 'footer' && b.kind === 'footer') || (a.kind === 'pre' && b.kind === 'pre')) return a.index === b.index;
  if (a.kind === 'mark' && b.kind === 'mark') return a.mark === b.mark && a.sub === b.sub;
  return true;
}

/**
 * A line that is complete in both lanes and not held back can no longer change (text is only appended, and
 * its hits are known once the filtered lane has passed it): such a row need not re-render when later
 * tokens of its turn arrive. This keeps a batch's work to the rows at the growing end.
 */
function isFinalLine(t: TurnData, row: RowRef): boolean {
  if (row.kind !== 'line') return false;
  const nextRaw = t.raw.starts[row.line + 1];
  if (nextRaw === undefined || t.filtered.starts[row.line + 1] === undefined) return false;
  return nextRaw - 1 <= t.raw.length - t.holdback;
}

function sameTurnContent(a: LaneRowProps, b: LaneRowProps): boolean {
  if (a.turn === b.turn) return a.version === b.version;
  return (
    a.turn.turnId === b.turn.turnId &&
    a.turn.status === b.turn.status &&
    a.turn.hits.length === b.turn.hits.length &&
    isFinalLine(a.turn, a.row) &&
    isFinalLine(b.turn, b.row)
  );
}

function equalProps(a: LaneRowProps, b: LaneRowProps): boolean {
  return (
    sameTurnContent(a, b) &&
    a.kind === b.kind &&
    a.cols === b.cols &&
    a.boundaries === b.boundaries &&
    a.selection?.start === b.selection?.start &&
    a.selection?.end === b.selection?.end &&
    a.selectedTurn === b.selectedTurn &&
    a.top === b.top &&
    a.height === b.height &&
    a.expanded === b.expanded &&
    sameRow(a.row, b.row)
  );
}

export const LaneRow = memo(function LaneRow(props: LaneRowProps) {
  const { row, turn, kind } = props;
  let cls = 'row';
  let content: React.ReactNode;
  let plain: { a: number; text: string; shades: readonly ShadeRun[] | undefined } | undefined;
  let gutter: string | undefined;
  if (row.kind === 'header') {
    cls += ' row-head';
    content = <Header turn={turn} kind={kind} />;
  } else if (row.kind === 'footer') {
    cls += ' row-foot';
    content = <Footer turn={turn} index={row.index} kind={kind} />;
  } else if (row.kind === 'mark') {
    cls += row.sub === 0 ? ' row-mark' : ' row-mark row-json';
    content = <MarkRowContent turn={turn} index={row.mark} sub={row.sub} kind={kind} cols={props.cols} expanded={Boolean(props.expanded)} />;
  } else if (row.kind === 'pre') {
    cls += ' row-foot';
    const err = retriedErrors(turn)[row.index];
    content = err ? <ErrorRow err={err} kind={kind} turn={turn} /> : null;
  } else {
    cls += turn.status === 'partial' || turn.status === 'damaged' ? ' row-partial' : '';
    gutter = row.sub === 0 ? String(row.line + 1) : '·';
    const slice = lineSlice(turn, kind, row.line, row.sub, props.cols, props.boundaries, props.selection);
    if ('plain' in slice) plain = slice.plain;
    else content = slice.pieces;
  }
  if (props.selectedTurn) cls += ' row-selturn';
  // A plain row's shades go to the lane's canvas, which paints them under the text (shade-canvas.ts).
  const shadeRows = useContext(ShadeRowsContext);
  const shades = plain?.shades;
  const top = props.top;
  useLayoutEffect(() => {
    if (!shadeRows || !shades) return;
    shadeRows.set(top, shades);
    return () => shadeRows.delete(top, shades);
  }, [shadeRows, top, shades]);
  // The gutter is the row's ::before, its number from data-n: generated content is never copied with the text,
  // and one element fewer per row is a screenful fewer to style and lay out when a fast stream replaces it.
  return (
    <div className={cls} data-turn={turn.turnId} data-n={gutter} style={{ transform: `translateY(${props.top}px)`, height: props.height }}>
      {plain ? (
        // One text node (data-plain: see tokenAtPoint).
        <span className="code" data-o={plain.a} data-plain="1">
          {plain.text}
        </span>
      ) : (
        <span className="code">{content}</span>
      )}
    </div>
  );
}, equalProps);
