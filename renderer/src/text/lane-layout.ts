// Row layout of the two lanes. Both lanes share one row grid: a header row per turn, then for every line the
// larger of its raw and filtered row counts (long lines wrap at `cols` columns), then footer rows (errors,
// status). Equal grids make scroll-sync exact and let the virtualizer use a fixed row height.
// Finished lines are measured once per turn and width, so a streaming turn costs only its last lines.
// Marks that are rows of their own (structured outputs, connection breaks, a change of speaker: see
// store/lane-marks.ts) sit between the lines at their place: before the line they start, or after the
// line they arrived in the middle of (an inline marker shows the exact spot). An expanded structured output
// adds the rows of its JSON.
import { isRowMark, jsonLines } from '../store/lane-marks';
import type { TurnData } from '../store/turn-model';
import { lineOf, type TextLines } from './text-lines';
import { rowBreaks } from './visible';

/** A mark row in a block: the mark's index in `turn.marks` and how many rows it takes (1 + its JSON when expanded). */
export interface MarkRows {
  mark: number;
  rows: number;
}

export interface TurnLayout {
  turnId: string;
  version: number;
  /** Global index of the turn's header row. */
  rowStart: number;
  /** Rows before the text: the header and one per retried error (a 429 before any token). */
  headRows: number;
  lineCount: number;
  /**
   * Block i (i < lineCount) is the mark rows placed before line i, then line i's rows; block lineCount holds
   * the marks after the last line. Rows before block i, relative to the first row after the head; length
   * lineCount + 2.
   */
  linePrefix: number[];
  /** Mark rows per block, only for blocks that have some. */
  blockMarks: Map<number, MarkRows[]>;
  footerRows: number;
  rowCount: number;
}

export interface LaneLayout {
  cols: number;
  turns: TurnLayout[];
  total: number;
}

export type RowRef =
  | { kind: 'header'; turn: number }
  /** A retried error, shown before the text it preceded; `index` into the turn's retried errors. */
  | { kind: 'pre'; turn: number; index: number }
  | { kind: 'line'; turn: number; line: number; sub: number }
  /** A mark's row (`sub` 0) or one of its JSON rows (`sub` ≥ 1); `mark` indexes the turn's marks. */
  | { kind: 'mark'; turn: number; mark: number; sub: number }
  | { kind: 'footer'; turn: number; index: number };

/**
 * What the cache keeps per turn between calls, so a batch costs the lines and marks it touched, not the turn's
 * length: row counts per line, the mark rows per block and the prefix sums over the blocks, extended in place.
 */
interface TurnCache {
  cols: number;
  expanded: ReadonlySet<string>;
  /** The text objects measured: a restated text (turn-model's rare rebuild) is a new object, measured anew. */
  rawText: TextLines;
  filteredText: TextLines;
  raw: number[];
  filtered: number[];
  marksSeen: number;
  /** A mark sits beyond the text measured so far: its block may still move, so the marks are placed anew. */
  unsettled: boolean;
  blockMarks: Map<number, MarkRows[]>;
  linePrefix: number[];
  lineCount: number;
  /** The turn object last laid out and its layout (reused while the turn, width and expansions stay). */
  turn?: TurnData;
  out?: TurnLayout;
}

export function lineText(t: TextLines, i: number): string {
  return t.lines[i] ?? '';
}

function rowsOf(cache: number[], t: TextLines, cols: number): void {
  // Every line but the last is final; the last may still grow, so it is always measured again.
  const from = Math.max(0, Math.min(cache.length, t.lines.length) - 1);
  cache.length = from;
  for (let i = from; i < t.lines.length; i++) cache.push(rowBreaks(t.lines[i]!, cols).length);
}

export function retriedErrors(t: TurnData) {
  return t.errors.filter((e) => e.retry);
}
export function finalErrors(t: TurnData) {
  return t.errors.filter((e) => !e.retry);
}

export function footerRowsOf(t: TurnData): number {
  return finalErrors(t).length + (t.status === 'streaming' ? 0 : 1);
}

/** The key of an expanded structured output (its turn and its index in the turn's marks). */
export const markKey = (turnId: string, mark: number): string => `${turnId}#${mark}`;

/** The JSON of an expanded mark as rows of at most `cols` columns: [line, from, to] per row. */
export function jsonRows(t: TurnData, mark: number, cols: number): Array<[number, number, number]> {
  const m = t.marks[mark];
  if (m?.kind !== 'structured') return [];
  const out: Array<[number, number, number]> = [];
  jsonLines(m.event).forEach((line, i) => {
    const breaks = rowBreaks(line, cols);
    for (let k = 0; k < breaks.length; k++) out.push([i, breaks[k]!, breaks[k + 1] ?? line.length]);
  });
  return out;
}

/** Block of a mark: before the line its position starts, else after the line it falls inside. */
function blockOf(t: TurnData, position: number): number {
  const line = lineOf(t.raw, Math.min(position, t.raw.length));
  return t.raw.starts[line] === position ? line : line + 1;
}

/** Adds the row marks from `c.marksSeen` on to their blocks; returns the first block that changed. */
function addMarks(c: TurnCache, t: TurnData, lineCount: number): number {
  let first = Infinity;
  for (let i = c.marksSeen; i < t.marks.length; i++) {
    const m = t.marks[i]!;
    if (!isRowMark(m)) continue;
    if (m.position > t.raw.length) c.unsettled = true;
    const b = Math.min(blockOf(t, m.position), lineCount);
    const rows = 1 + (c.expanded.has(markKey(t.turnId, i)) ? jsonRows(t, i, c.cols).length : 0);
    const list = c.blockMarks.get(b);
    if (list) list.push({ mark: i, rows });
    else c.blockMarks.set(b, [{ mark: i, rows }]);
    first = Math.min(first, b);
  }
  c.marksSeen = t.marks.length;
  return first;
}

const sumRows = (l: MarkRows[] | undefined) => (l ? l.reduce((n, m) => n + m.rows, 0) : 0);

/**
 * Layouts of a session's turns, kept between calls. A turn that did not change since the last call keeps its
 * layout; the streaming turn is measured from its last lines and its new marks on, so each call costs the
 * number of turns plus what changed. The arrays of a returned layout are updated in place by the next call:
 * use a layout until the next one is made.
 */
export function createLayoutCache() {
  const cache = new Map<string, TurnCache>();
  const turnLayout = (t: TurnData, cols: number, expanded: ReadonlySet<string>, rowStart: number): TurnLayout => {
    let c = cache.get(t.turnId);
    if (c && c.turn === t && c.cols === cols && c.expanded === expanded && c.out) {
      return c.out.rowStart === rowStart ? c.out : (c.out = { ...c.out, rowStart });
    }
    if (!c || c.cols !== cols || c.expanded !== expanded || c.rawText !== t.raw || c.filteredText !== t.filtered) {
      c = { cols, expanded, rawText: t.raw, filteredText: t.filtered, raw: [], filtered: [], marksSeen: 0, unsettled: false, blockMarks: new Map(), linePrefix: [0, 0], lineCount: 0 };
      cache.set(t.turnId, c);
    }
    if (c.unsettled) {
      c.unsettled = false;
      c.marksSeen = 0;
      c.blockMarks.clear();
    }
    // Lines from the last one measured in either lane on may have changed (the filtered lane lags the raw).
    const dirtyLine = Math.max(0, Math.min(c.raw.length, c.filtered.length) - 1);
    rowsOf(c.raw, t.raw, cols);
    rowsOf(c.filtered, t.filtered, cols);
    const lineCount = Math.max(t.raw.lines.length, t.filtered.lines.length);
    const from = Math.min(dirtyLine, c.lineCount, addMarks(c, t, lineCount));
    const prefix = c.linePrefix;
    prefix.length = lineCount + 2;
    for (let i = from; i < lineCount; i++) prefix[i + 1] = prefix[i]! + sumRows(c.blockMarks.get(i)) + Math.max(c.raw[i] ?? 1, c.filtered[i] ?? 1, 1);
    prefix[lineCount + 1] = prefix[lineCount]! + sumRows(c.blockMarks.get(lineCount));
    c.lineCount = lineCount;
    const footerRows = footerRowsOf(t);
    const headRows = 1 + retriedErrors(t).length;
    c.turn = t;
    c.out = { turnId: t.turnId, version: t.version, rowStart, headRows, lineCount, linePrefix: prefix, blockMarks: c.blockMarks, footerRows, rowCount: headRows + prefix[lineCount + 1]! + footerRows };
    return c.out;
  };
  return {
    layout(turns: readonly TurnData[], cols: number, expanded: ReadonlySet<string> = NO_EXPANDED): LaneLayout {
      let row = 0;
      const out: TurnLayout[] = [];
      for (const t of turns) {
        const tl = turnLayout(t, cols, expanded, row);
        out.push(tl);
        row += tl.rowCount;
      }
      // Turns no longer shown (a cleared or reopened session) are dropped.
      if (cache.size > turns.length) {
        const shown = new Set(turns.map((t) => t.turnId));
        for (const id of cache.keys()) if (!shown.has(id)) cache.delete(id);
      }
      return { cols, turns: out, total: row };
    },
    forget(turnId: string) {
      cache.delete(turnId);
    },
  };
}

const NO_EXPANDED: ReadonlySet<string> = new Set();

function upperBound(arr: readonly number[], v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Which turn/line/sub-row a global row index is. */
export function locateRow(layout: LaneLayout, row: number): RowRef | undefined {
  const turns = layout.turns;
  let lo = 0;
  let hi = turns.length - 1;
  let ti = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (turns[mid]!.rowStart <= row) {
      ti = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const t = turns[ti];
  if (!t || row >= t.rowStart + t.rowCount) return undefined;
  const rel = row - t.rowStart;
  if (rel === 0) return { kind: 'header', turn: ti };
  if (rel < t.headRows) return { kind: 'pre', turn: ti, index: rel - 1 };
  const lineRows = t.linePrefix[t.lineCount + 1]!;
  const r = rel - t.headRows;
  if (r < lineRows) {
    const block = upperBound(t.linePrefix, r) - 1;
    let within = r - t.linePrefix[block]!;
    for (const m of t.blockMarks.get(block) ?? []) {
      if (within < m.rows) return { kind: 'mark', turn: ti, mark: m.mark, sub: within };
      within -= m.rows;
    }
    return { kind: 'line', turn: ti, line: block, sub: within };
  }
  return { kind: 'footer', turn: ti, index: r - lineRows };
}

/** Global row of a raw offset in a turn (for scrolling the lanes to an inspected range). */
export function rowOfRawOffset(layout: LaneLayout, t: TurnData, turnIndex: number, offset: number): number {
  const tl = layout.turns[turnIndex];
  if (!tl) return 0;
  const line = lineOf(t.raw, offset);
  const breaks = rowBreaks(lineText(t.raw, line), layout.cols);
  const inLine = offset - t.raw.starts[line]!;
  const sub = Math.max(0, upperBound(breaks, inLine) - 1);
  return tl.rowStart + tl.headRows + (tl.linePrefix[line] ?? 0) + sumRows(tl.blockMarks.get(line)) + sub;
}
