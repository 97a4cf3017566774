// Makes any token text safe and honest to display: invisible and control characters (bidi overrides, zero
// width characters, C0/C1 controls, BOM) and lone surrogates become visible markers such as ⟨U+202E⟩, so a
// hostile answer can neither reorder nor hide what the user reads. The result is plain strings for React
// text nodes; nothing here produces HTML.

export type VisiblePiece =
  | { kind: 'text'; text: string; start: number; end: number }
  /** One code unit (or one code point) shown as `label`. */
  | { kind: 'marker'; label: string; start: number; end: number; title: string };

const NAMES: Record<number, string> = {
  0x09: 'TAB',
  0x0a: 'LF',
  0x0d: 'CR',
  0x00: 'NUL',
  0x1b: 'ESC',
  0x7f: 'DEL',
  0x200b: 'ZWSP',
  0x200c: 'ZWNJ',
  0x200d: 'ZWJ',
  0x200e: 'LRM',
  0x200f: 'RLM',
  0x202a: 'LRE',
  0x202b: 'RLE',
  0x202c: 'PDF',
  0x202d: 'LRO',
  0x202e: 'RLO',
  0x2066: 'LRI',
  0x2067: 'RLI',
  0x2068: 'FSI',
  0x2069: 'PDI',
  0x061c: 'ALM',
  0x2060: 'WJ',
  0xfeff: 'BOM',
  0x00ad: 'SHY',
  0x180e: 'MVS',
  0x2028: 'LSEP',
  0x2029: 'PSEP',
};

/** Code units (or BMP code points) that are shown as markers. Newline is not: it ends a line. */
export function isSpecial(c: number): boolean {
  if (c === 0x0a) return false;
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  if (c === 0x00ad || c === 0x061c || c === 0x180e || c === 0xfeff) return true;
  if (c >= 0x200b && c <= 0x200f) return true;
  if (c >= 0x2028 && c <= 0x202e) return true;
  if (c >= 0x2060 && c <= 0x2069) return true;
  if (c >= 0xfff9 && c <= 0xfffb) return true;
  return false;
}

// Fast check: only text with one of these needs the slow path.
const MAYBE_SPECIAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]/;

function hex(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}

export function markerLabel(c: number, lone = false): string {
  if (lone) return `⟨${hex(c)}?⟩`;
  if (c === 0x09) return '⇥';
  return `⟨U+${hex(c)}⟩`;
}

function markerTitle(c: number, lone: boolean): string {
  if (lone) return `lone ${c < 0xdc00 ? 'high' : 'low'} surrogate U+${hex(c)} (half of a character)`;
  const name = NAMES[c];
  return `U+${hex(c)}${name ? ` ${name}` : ''} (invisible or control character, shown as a marker)`;
}

/** Emoji and symbols that a zero-width joiner legitimately glues into one glyph (👩‍💻). */
function isPictographic(cp: number | undefined): boolean {
  return cp !== undefined && ((cp >= 0x1f000 && cp <= 0x1faff) || (cp >= 0x2600 && cp <= 0x27bf) || cp === 0x2640 || cp === 0x2642 || cp === 0xfe0f);
}

/** A ZWJ between two pictographs is part of an emoji sequence, not hidden text. */
function isEmojiJoiner(text: string, i: number): boolean {
  const before = i > 0 ? (i > 1 && text.charCodeAt(i - 1) >= 0xdc00 && text.charCodeAt(i - 1) <= 0xdfff ? text.codePointAt(i - 2) : text.charCodeAt(i - 1)) : undefined;
  const after = text.codePointAt(i + 1);
  return isPictographic(before) && isPictographic(after);
}

/**
 * Splits `text` (a slice of a longer text starting at `offset`) into text runs and markers. A surrogate pair
 * is kept together; a lone surrogate becomes a marker.
 */
export function toVisible(text: string, offset = 0): VisiblePiece[] {
  if (!MAYBE_SPECIAL.test(text)) return text ? [{ kind: 'text', text, start: offset, end: offset + text.length }] : [];
  const out: VisiblePiece[] = [];
  let runStart = 0;
  const flush = (i: number) => {
    if (i > runStart) out.push({ kind: 'text', text: text.slice(runStart, i), start: offset + runStart, end: offset + i });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      flush(i);
      out.push({ kind: 'marker', label: markerLabel(c, true), title: markerTitle(c, true), start: offset + i, end: offset + i + 1 });
      runStart = i + 1;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      flush(i);
      out.push({ kind: 'marker', label: markerLabel(c, true), title: markerTitle(c, true), start: offset + i, end: offset + i + 1 });
      runStart = i + 1;
      continue;
    }
    if (isSpecial(c) && !(c === 0x200d && isEmojiJoiner(text, i))) {
      flush(i);
      out.push({ kind: 'marker', label: markerLabel(c), title: markerTitle(c, false), start: offset + i, end: offset + i + 1 });
      runStart = i + 1;
    }
  }
  flush(text.length);
  return out;
}

/** The text as one safe display string (for single-line places: inputs echoed in headers, token cells). */
export function visibleString(text: string): string {
  return toVisible(text)
    .map((p) => (p.kind === 'text' ? p.text : p.label))
    .join('')
    .replace(/\n/g, '⏎');
}

/** Width of one code point in monospace columns (approximate: CJK and emoji take two, combining zero). */
export function codePointCols(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0020 && cp <= 0xe007f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f000 && cp <= 0x1faff) ||
    (cp >= 0x2600 && cp <= 0x27bf) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

const PLAIN = /^[\u0020-\u007e]*$/;

/**
 * Offsets (relative to `line`) where each display row of at most `cols` columns starts; always starts with 0.
 * Markers count their label width; a surrogate pair is never split.
 */
export function rowBreaks(line: string, cols: number): number[] {
  const width = Math.max(8, cols);
  if (PLAIN.test(line)) {
    const breaks: number[] = [];
    for (let i = 0; i < Math.max(1, line.length); i += width) breaks.push(i);
    return breaks;
  }
  const breaks = [0];
  let used = 0;
  for (let i = 0; i < line.length; ) {
    const c = line.charCodeAt(i);
    let w: number;
    let len = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < line.length && line.charCodeAt(i + 1) >= 0xdc00 && line.charCodeAt(i + 1) <= 0xdfff) {
      w = codePointCols(line.codePointAt(i)!);
      len = 2;
    } else if ((c >= 0xd800 && c <= 0xdfff) || isSpecial(c)) {
      w = markerLabel(c, c >= 0xd800 && c <= 0xdfff).length;
    } else {
      w = codePointCols(c);
    }
    if (used + w > width && used > 0) {
      breaks.push(i);
      used = 0;
    }
    used += w;
    i += len;
  }
  return breaks;
}

/** Bytes of a string in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD it becomes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Decoded length of base64 without decoding it. */
export function base64Length(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function hexBytes(bytes: Uint8Array, max = 16): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(bytes.length, max); i++) parts.push(bytes[i]!.toString(16).padStart(2, '0'));
  return parts.join(' ') + (bytes.length > max ? ' …' : '');
}
