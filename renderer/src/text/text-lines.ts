// Append-only text kept as lines. A long answer built with `s += piece` is a V8 rope that every later
// `slice` flattens, copying the whole answer on each batch (quadratic over a 100k-token session); here only
// the last line grows, and reading a line or a range touches only the lines it spans.
// Mutated in place by its owner (turn-model.ts) only; readers treat it as immutable.

export interface TextLines {
  /** Line contents without their '\n'. Never empty: an empty text is one empty line. */
  lines: string[];
  /** Offset of each line's first character in the whole text. */
  starts: number[];
  /** Length of the whole text (UTF-16 code units, newlines included). */
  length: number;
}

export function emptyText(): TextLines {
  return { lines: [''], starts: [0], length: 0 };
}

export function fromString(text: string): TextLines {
  const t = emptyText();
  appendText(t, text);
  return t;
}

export function appendText(t: TextLines, text: string): void {
  if (!text) return;
  const parts = text.split('\n');
  const last = t.lines.length - 1;
  t.lines[last] = t.lines[last]! + parts[0]!;
  let offset = t.length + parts[0]!.length;
  for (let i = 1; i < parts.length; i++) {
    offset += 1;
    t.starts.push(offset);
    t.lines.push(parts[i]!);
    offset += parts[i]!.length;
  }
  t.length += text.length;
}

/** Index of the line holding offset `pos` (the last line for pos = length). */
export function lineOf(t: TextLines, pos: number): number {
  let lo = 0;
  let hi = t.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t.starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The text in [a, b). */
export function sliceText(t: TextLines, a: number, b: number): string {
  const start = Math.max(0, a);
  const end = Math.min(t.length, b);
  if (end <= start) return '';
  let i = lineOf(t, start);
  let out = '';
  let pos = start;
  while (pos < end && i < t.lines.length) {
    const ls = t.starts[i]!;
    const line = t.lines[i]!;
    const lineEnd = ls + line.length;
    out += line.slice(pos - ls, Math.min(end, lineEnd) - ls);
    pos = Math.min(end, lineEnd);
    if (pos < end) {
      out += '\n';
      pos += 1;
    }
    i++;
  }
  return out;
}

export function toString(t: TextLines): string {
  return t.lines.join('\n');
}
