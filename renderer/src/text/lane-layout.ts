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

interface LineCache {
  cols: number;
  raw: number[];
  filtered: number[];
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

function markBlocks(t: TurnData, lineCount: number, cols: number, expanded: ReadonlySet<string>): Map<number, MarkRows[]> {
  const out = new Map<number, MarkRows[]>();
  t.marks.forEach((m, i) => {
    if (!isRowMark(m)) return;
    const b = Math.min(blockOf(t, m.position), lineCount);
    const rows = 1 + (expanded.has(markKey(t.turnId, i)) ? jsonRows(t, i, cols).length : 0);
    const list = out.get(b);
    if (list) list.push({ mark: i, rows });
    else out.set(b, [{ mark: i, rows }]);
  });
  return out;
}

const sumRows = (l: MarkRows[] | undefined) => (l ? l.reduce((n, m) => n + m.rows, 0) : 0);

export function createLayoutCache() {
  const lines = new Map<string, LineCache>();
  return {
    layout(turns: readonly TurnData[], cols: number, expanded: ReadonlySet<string> = new Set()): LaneLayout {
      let row = 0;
      const out: TurnLayout[] = [];
      for (const t of turns) {
        let c = lines.get(t.turnId);
        if (!c || c.cols !== cols) {
          c = { cols, raw: [], filtered: [] };
          lines.set(t.turnId, c);
        }
        rowsOf(c.raw, t.raw, cols);
        rowsOf(c.filtered, t.filtered, cols);
        const lineCount = Math.max(t.raw.lines.length, t.filtered.lines.length);
        const blockMarks = t.marks.length ? markBlocks(t, lineCount, cols, expanded) : new Map<number, MarkRows[]>();
        const linePrefix = new Array<number>(lineCount + 2);
        linePrefix[0] = 0;
        for (let i = 0; i < lineCount; i++) linePrefix[i + 1] = linePrefix[i]! + sumRows(blockMarks.get(i)) + Math.max(c.raw[i] ?? 1, c.filtered[i] ?? 1, 1);
        linePrefix[lineCount + 1] = linePrefix[lineCount]! + sumRows(blockMarks.get(lineCount));
        const footerRows = footerRowsOf(t);
        const headRows = 1 + retriedErrors(t).length;
        const rowCount = headRows + linePrefix[lineCount + 1]! + footerRows;
        out.push({ turnId: t.turnId, version: t.version, rowStart: row, headRows, lineCount, linePrefix, blockMarks, footerRows, rowCount });
        row += rowCount;
      }
      return { cols, turns: out, total: row };
    },
    forget(turnId: string) {
      lines.delete(turnId);
    },
  };
}

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
