// Cuts one row of a lane into styled pieces: token boundaries (alternating shade, a tick at each start),
// PII hits (raw lane, with their type), masked spans (filtered lane), the hold-back (raw text not yet
// released), damage (where frames were lost, characters that could not be decoded), the inspector's
// selection, and zero-width markers where something happened between the characters (a structured output,
// the connection breaking, typing on/off). Pure: offsets in, pieces out; rendering is LaneRow's job.
import type { FilterHit, FrameIssueEvent } from '../../../../shared/events';
import { isInlineMark, type LaneMark } from '../../store/lane-marks';
import { rawToFiltered, spanAt, type TurnData } from '../../store/turn-model';

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
  const hits = t.hits.filter((h) => h.rawEnd > a && h.rawStart < b);
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

/** Raw offset of a filtered offset (inside a replacement: the hit's raw start). */
export function filteredToRaw(hits: readonly FilterHit[], pos: number): number {
  let delta = 0;
  for (const h of hits) {
    if (h.outEnd <= pos) delta += h.rawEnd - h.rawStart - (h.outEnd - h.outStart);
    else if (h.outStart <= pos) return h.rawStart;
  }
  return pos + delta;
}

/** Pieces of filtered text [a, b); token boundaries are the raw ones mapped across replacements. */
export function filteredPieces(t: TurnData, a: number, b: number, opts: CutOpts): Piece[] {
  // The end user's text has the same hole: a gap inside a replacement shows after it.
  const toFiltered = (raw: number) => rawToFiltered(t.hits, raw) ?? t.hits.find((h) => h.rawStart < raw && h.rawEnd > raw)?.outEnd ?? raw;
  if (b <= a) return withGaps([], gapsIn(t, a, a, opts.lineEnd, toFiltered), a);
  const points: number[] = [];
  const hits = t.hits.filter((h) => h.outEnd > a && h.outStart < b && h.outEnd > h.outStart);
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
 * hold-back, selection, damage or marker. Such a row is drawn as one text node with the token shades and
 * ticks as a background (tokenBackground): in a monospace font every character is one `ch` wide, so the
 * shading lands exactly where per-token elements would put it, at a fraction of the elements (a screenful
 * of a fast stream would otherwise be a thousand new elements per frame to style, lay out and paint).
 */
export function isPlainRow(pieces: readonly Piece[], text: string): boolean {
  if (!PRINTABLE_ASCII.test(text)) return false;
  for (const p of pieces) if (p.hit || p.held || p.selected || p.damaged || p.gap || p.mark) return false;
  return true;
}

/**
 * The token shades (alternating, as .tok-a/.tok-b) and start ticks (as .tok-start) of a plain row starting at
 * offset `a`, as one CSS gradient in `ch` (one image to paint per row); undefined when the pieces carry no
 * token boundaries.
 */
export function tokenBackground(pieces: readonly Piece[], a: number): string | undefined {
  if (!pieces.some((p) => p.tokenParity !== undefined)) return undefined;
  const stops: string[] = [];
  for (const p of pieces) {
    const from = p.start - a;
    const to = p.end - a;
    const shade = `var(--tok-${p.tokenParity ? 'b' : 'a'})`;
    // A stop placed before the previous one sits at it ("0"): hard edges, no blending between tokens.
    if (p.tokenStart) stops.push(`var(--tok-tick) ${from}ch calc(${from}ch + 1px)`, `${shade} 0 ${to}ch`);
    else stops.push(`${shade} ${from}ch ${to}ch`);
  }
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}
