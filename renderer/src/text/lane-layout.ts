// Row layout of the two lanes. Both lanes share one row grid: a header row per turn, then for every line the
// larger of its raw and filtered row counts (long lines wrap at `cols` columns), then footer rows (errors,
// status). Equal grids make scroll-sync exact and let the virtualizer use a fixed row height.
// Finished lines are measured once per turn and width, so a streaming turn costs only its last lines.
import type { TurnData } from '../store/turn-model';
import { lineOf, type TextLines } from './text-lines';
import { rowBreaks } from './visible';

export interface TurnLayout {
  turnId: string;
  version: number;
  /** Global index of the turn's header row. */
  rowStart: number;
  /** Rows before the text: the header and one per retried error (a 429 before any token). */
  headRows: number;
  lineCount: number;
  /** Rows before line i, relative to the first line row; length lineCount + 1. */
  linePrefix: number[];
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

export function createLayoutCache() {
  const lines = new Map<string, LineCache>();
  return {
    layout(turns: readonly TurnData[], cols: number): LaneLayout {
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
        const linePrefix = new Array<number>(lineCount + 1);
        linePrefix[0] = 0;
        for (let i = 0; i < lineCount; i++) linePrefix[i + 1] = linePrefix[i]! + Math.max(c.raw[i] ?? 1, c.filtered[i] ?? 1, 1);
        const footerRows = footerRowsOf(t);
        const headRows = 1 + retriedErrors(t).length;
        const rowCount = headRows + linePrefix[lineCount]! + footerRows;
        out.push({ turnId: t.turnId, version: t.version, rowStart: row, headRows, lineCount, linePrefix, footerRows, rowCount });
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
  const lineRows = t.linePrefix[t.lineCount]!;
  const r = rel - t.headRows;
  if (r < lineRows) {
    const line = upperBound(t.linePrefix, r) - 1;
    return { kind: 'line', turn: ti, line, sub: r - t.linePrefix[line]! };
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
  return tl.rowStart + tl.headRows + (tl.linePrefix[line] ?? 0) + sub;
}
