// Cuts one row of a lane into styled pieces: token boundaries (alternating shade, a tick at each start),
// PII hits (raw lane, with their type), masked spans (filtered lane), the hold-back (raw text not yet
// released), damage (where frames were lost, characters that could not be decoded), the inspector's
// selection, and zero-width markers where something happened between the characters (a structured output,
// the connection breaking, typing on/off). Pure: offsets in, pieces out; rendering is LaneRow's job.
import type { FilterHit, FrameIssueEvent } from '../../../../shared/events';
import { isInlineMark, type LaneMark } from '../../store/lane-marks';
import { spanAt, type TurnData } from '../../store/turn-model';
import { filteredToRaw, hitAroundRaw, hitsInFiltered, hitsInRaw, rawToFiltered } from './hit-index';

export interface Piece {
  start: number;
  end: number;
  /** Parity of the token (for alternating shades), when boundaries are shown. */
  tokenParity?: 0 | 1;
  /** A token starts at `start`. */
  tokenStart?: boolean;
  /** Token index (raw lane). */
  token?: number;
  /** PII hit (raw lane) or masked replacement (filtered lane). */
  hit?: FilterHit;
  hitStart?: boolean;
  held?: boolean;
  selected?: boolean;
  /** A zero-width piece (start = end): frames of the answer never arrived here (a seq gap). */
  gap?: FrameIssueEvent;
  /** A zero-width piece: a mark of the dialog at this place (see lane-marks.ts). */
  mark?: LaneMark;
  /** A U+FFFD that stands for bytes or a character half that could not be decoded. */
  damaged?: FrameIssueEvent;
}

interface CutOpts {
  boundaries: boolean;
  selection?: { start: number; end: number };
  /** The row ends its line: a gap right at its end (before the newline, or the end of the text) shows here. */
  lineEnd?: boolean;
}

const isDecodeDamage = (i: FrameIssueEvent) => i.kind === 'invalid-utf8' || i.kind === 'lone-surrogate';

interface Point {
  pos: number;
  gap?: FrameIssueEvent;
  mark?: LaneMark;
}

/**
 * Seq gaps and inline marks at positions [a, b) (or [a, b] when the row ends its line), mapped by `at`, in
 * order (the sort is stable: marks at one place keep their arrival order).
 */
function gapsIn(t: TurnData, a: number, b: number, lineEnd: boolean | undefined, at: (raw: number) => number): Point[] {
  const out: Point[] = [];
  const inRow = (pos: number) => pos >= a && (pos < b || (lineEnd && pos === b));
  for (const i of t.issues) {
    if (i.kind !== 'seq-gap' || i.position === undefined) continue;
    const pos = at(i.position);
    if (inRow(pos)) out.push({ pos, gap: i });
  }
  for (const m of t.marks) {
    if (!isInlineMark(m)) continue;
    const pos = at(m.position);
    if (inRow(pos)) out.push({ pos, mark: m });
  }
  return out.sort((x, y) => x.pos - y.pos);
}

/** Puts zero-width pieces in front of the piece starting at their position (or at the end). */
function withGaps(pieces: Piece[], gaps: Point[], b: number): Piece[] {
  if (!gaps.length) return pieces;
  const out: Piece[] = [];
  let g = 0;
  const zero = (p: Point, at: number): Piece => ({ start: at, end: at, ...(p.gap ? { gap: p.gap } : {}), ...(p.mark ? { mark: p.mark } : {}) });
  for (const p of pieces) {
    while (g < gaps.length && gaps[g]!.pos <= p.start) {
      out.push(zero(gaps[g]!, gaps[g]!.pos));
      g++;
    }
    out.push(p);
  }
  for (; g < gaps.length; g++) out.push(zero(gaps[g]!, Math.min(gaps[g]!.pos, b)));
  return out;
}

function cut(a: number, b: number, points: number[]): number[] {
  const inner = points.filter((p) => p > a && p < b);
  return [a, ...Array.from(new Set(inner)).sort((x, y) => x - y), b];
}

/** Pieces of raw text [a, b). */
export function rawPieces(t: TurnData, a: number, b: number, opts: CutOpts): Piece[] {
  if (b <= a) return withGaps([], gapsIn(t, a, a, opts.lineEnd, (pos) => pos), a);
  const points: number[] = [];
  const first = Math.max(0, spanAt(t, a));
  const spans: number[] = [];
  if (opts.boundaries) {
    for (let i = first; i < t.spanStart.length && t.spanStart[i]! < b; i++) {
      spans.push(i);
      points.push(t.spanStart[i]!);
    }
  }
  const hits = hitsInRaw(t.hits, a, b);
  for (const h of hits) points.push(h.rawStart, h.rawEnd);
  const heldFrom = t.status === 'streaming' && t.holdback > 0 ? t.raw.length - t.holdback : Infinity;
  points.push(heldFrom);
  if (opts.selection) points.push(opts.selection.start, opts.selection.end);
  const decode = t.issues.filter((i) => isDecodeDamage(i) && i.position !== undefined && i.position >= a && i.position < b);
  for (const d of decode) points.push(d.position!, d.position! + 1);
  const cuts = cut(a, b, points);
  const out: Piece[] = [];
  for (let i = 0; i < cuts.length - 1; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    const p: Piece = { start, end };
    const bad = decode.find((d) => d.position === start);
    if (bad) p.damaged = bad;
    const si = spanAt(t, start);
    if (si >= 0) p.token = t.spanToken[si];
    if (opts.boundaries && si >= 0) {
      p.tokenParity = (si % 2) as 0 | 1;
      p.tokenStart = t.spanStart[si] === start;
    }
    const hit = hits.find((h) => h.rawStart <= start && h.rawEnd > start);
    if (hit) {
      p.hit = hit;
      p.hitStart = hit.rawStart === start;
    }
    if (start >= heldFrom) p.held = true;
    if (opts.selection && start >= opts.selection.start && start < opts.selection.end) p.selected = true;
    out.push(p);
  }
  return withGaps(out, gapsIn(t, a, b, opts.lineEnd, (pos) => pos), b);
}

/** Pieces of filtered text [a, b); token boundaries are the raw ones mapped across replacements. */
export function filteredPieces(t: TurnData, a: number, b: number, opts: CutOpts): Piece[] {
  // The end user's text has the same hole: a gap inside a replacement shows after it.
  const toFiltered = (raw: number) => rawToFiltered(t.hits, raw) ?? hitAroundRaw(t.hits, raw)?.outEnd ?? raw;
  if (b <= a) return withGaps([], gapsIn(t, a, a, opts.lineEnd, toFiltered), a);
  const points: number[] = [];
  const hits = hitsInFiltered(t.hits, a, b);
  for (const h of hits) points.push(h.outStart, h.outEnd);
  const starts = new Map<number, number>();
  if (opts.boundaries) {
    const rawA = filteredToRaw(t.hits, a);
    const rawB = filteredToRaw(t.hits, b);
    for (let i = Math.max(0, spanAt(t, rawA)); i < t.spanStart.length && t.spanStart[i]! <= rawB; i++) {
      const f = rawToFiltered(t.hits, t.spanStart[i]!);
      if (f !== undefined && f >= a && f < b) {
        starts.set(f, i);
        points.push(f);
      }
    }
  }
  const cuts = cut(a, b, points);
  const out: Piece[] = [];
  let parity: 0 | 1 = (Math.max(0, spanAt(t, filteredToRaw(t.hits, a))) % 2) as 0 | 1;
  for (let i = 0; i < cuts.length - 1; i++) {
    const start = cuts[i]!;
    const p: Piece = { start, end: cuts[i + 1]! };
    const si = starts.get(start);
    if (si !== undefined) {
      parity = (si % 2) as 0 | 1;
      p.tokenStart = true;
    }
    if (opts.boundaries) p.tokenParity = parity;
    const hit = hits.find((h) => h.outStart <= start && h.outEnd > start);
    if (hit) {
      p.hit = hit;
      p.hitStart = hit.outStart === start;
    }
    out.push(p);
  }
  return withGaps(out, gapsIn(t, a, b, opts.lineEnd, toFiltered), b);
}

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/**
 * A row is plain when its text is printable ASCII and its pieces differ only by token: no hit, mask,
 * hold-back, selection, damage or marker. Such a row is drawn as one text node, and its token shades and
 * ticks are painted under it on the lane's canvas (tokenShades, shade-canvas.ts): in a monospace font every
 * character is one advance wide, so the shading lands exactly where per-token elements would put it, at a
 * fraction of the cost (a screenful of a fast stream would otherwise be a thousand new elements per frame to
 * style, lay out and paint, and as a CSS gradient per row it was still most of a frame's style and paint).
 */
export function isPlainRow(pieces: readonly Piece[], text: string): boolean {
  if (!PRINTABLE_ASCII.test(text)) return false;
  for (const p of pieces) if (p.hit || p.held || p.selected || p.damaged || p.gap || p.mark) return false;
  return true;
}

/** One token's part of a plain row, in columns from the row's start: its shade and, at its start, a tick. */
export interface ShadeRun {
  from: number;
  to: number;
  /** Which of the alternating shades (as .tok-a / .tok-b). */
  parity: 0 | 1;
  /** The token starts here (as .tok-start): a 1 px tick at its left edge. */
  tick: boolean;
}

/**
 * The token shades and start ticks of a plain row starting at offset `a`, in columns; undefined when the
 * pieces carry no token boundaries.
 */
export function tokenShades(pieces: readonly Piece[], a: number): ShadeRun[] | undefined {
  if (!pieces.some((p) => p.tokenParity !== undefined)) return undefined;
  return pieces.map((p) => ({ from: p.start - a, to: p.end - a, parity: p.tokenParity ?? 0, tick: Boolean(p.tokenStart) }));
}
