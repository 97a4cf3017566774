// What the streaming filter appends between two scans (issue 13), and the one string the next scan reads:
// the window (what is held, with its context) followed by every text appended since.
// A token costs one store into a kept array: no string, no allocation. At the scan, a few texts are
// concatenated, as before; many (the ~64 tokens of a socket read at replay speed) are copied unit by unit
// into one kept buffer that becomes one flat string. Why not concatenate them all: ~64 pieces make a rope
// that the scan must flatten, and a flattened rope still costs an indirection at every unit the scan and
// the detectors read (the whole-text pass reads a flat string). Why not `join`: measured ~2× the copy.
// Lossless for every UTF-16 string, lone surrogates included: units are copied, never decoded.

/** Up to this many texts, a scan concatenates them (a buffer's string has a fixed cost: the call that makes it). */
export const CONCAT_MAX = 8;
const INITIAL = 1024;
const MAX_KEPT = 1 << 16;

export class AppendedTexts {
  private readonly texts: string[] = [];
  /** Texts appended since the last take. */
  count = 0;
  /** Their length in code units. */
  units = 0;
  /** Latin-1 while every unit fits a byte (one byte per unit), else UTF-16LE (two bytes per unit). */
  private bytes = Buffer.alloc(INITIAL);

  add(text: string): void {
    this.texts[this.count++] = text;
    this.units += text.length;
  }

  /** The last text added (when count > 0). */
  last(): string {
    return this.texts[this.count - 1]!;
  }

  /** True when every unit of every text added is one of `units` (ASCII, 1 = in). */
  allIn(units: Uint8Array): boolean {
    for (let k = 0; k < this.count; k++) if (!allIn(units, this.texts[k]!)) return false;
    return true;
  }

  /** `head` followed by every text added, and nothing added any more. */
  take(head: string): string {
    const n = this.count;
    let s = head;
    if (n <= CONCAT_MAX) for (let k = 0; k < n; k++) s += this.texts[k]!;
    else s = this.copied(head);
    this.clear();
    return s;
  }

  clear(): void {
    // A burst of thousands of texts is not kept alive for the rest of the turn.
    if (this.count > 1024) this.texts.length = 0;
    this.count = 0;
    this.units = 0;
  }

  /** One flat string of head and the texts, through the byte buffer. */
  private copied(head: string): string {
    const len = head.length + this.units;
    if (2 * len > this.bytes.length) this.bytes = Buffer.alloc(Math.max(2 * len, 2 * this.bytes.length));
    const b = this.bytes;
    let p = copyNarrow(b, 0, head);
    for (let k = 0; k < this.count && p >= 0; k++) p = copyNarrow(b, p, this.texts[k]!);
    let s: string;
    if (p >= 0) s = b.toString('latin1', 0, p);
    else {
      // A unit above 0xff: all of it as UTF-16 instead (rare in a window of ASCII prose; CJK text is all of it).
      p = copyWide(b, 0, head);
      for (let k = 0; k < this.count; k++) p = copyWide(b, p, this.texts[k]!);
      s = b.toString('utf16le', 0, p);
    }
    if (b.length > MAX_KEPT) this.bytes = Buffer.alloc(INITIAL);
    return s;
  }
}

/** Copies text's units as bytes at p; the new end, or -1 when a unit does not fit a byte. */
function copyNarrow(b: Buffer, p: number, text: string): number {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c > 0xff) return -1;
    b[p++] = c;
  }
  return p;
}

/** Copies text's units as UTF-16LE at byte p; the new end. */
function copyWide(b: Buffer, p: number, text: string): number {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    b[p++] = c & 0xff;
    b[p++] = c >>> 8;
  }
  return p;
}

/** True when every unit of text is one of `units` (ASCII, 1 = in). */
function allIn(units: Uint8Array, text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 128 || units[c] === 0) return false;
  }
  return true;
}
