// Streaming UTF-8 decoder that knows where every byte went: binary frames may cut a character anywhere,
// and the inspector must be able to say which bytes became which text and where invalid bytes were.
// It replaces invalid input exactly as WHATWG TextDecoder({fatal:false}) does (one U+FFFD per maximal
// subpart, per the Encoding Standard's UTF-8 decoder), and never strips a BOM (text is kept byte for byte).
// It must never throw on bad bytes, never hold more than one incomplete character (≤ 3 bytes), and stays
// linear: each byte is looked at a constant number of times. Pieces go out through a callback so that the
// per-token path (1–6 byte frames) allocates nothing but the strings themselves.

/**
 * One decoded piece of a chunk, in order. Byte offsets are in the stream (all chunks joined).
 * `invalid`: the piece is U+FFFD for the ill-formed bytes [byteStart, byteEnd).
 * `carried`: the piece starts in bytes held from an earlier chunk (a character split across chunks).
 */
export type Utf8PieceSink = (text: string, byteStart: number, byteEnd: number, invalid: boolean, carried: boolean) => void;

export interface Utf8Piece {
  text: string;
  byteStart: number;
  byteEnd: number;
  invalid?: true;
  carried?: true;
}

export interface Utf8StreamDecoder {
  /**
   * Decodes chunk[from, to) (default: all of it); an incomplete character at its end is held until the next
   * push or flush. The chunk is not kept: a reused scratch buffer is fine.
   */
  push(chunk: Uint8Array, sink: Utf8PieceSink, from?: number, to?: number): void;
  /** End of stream (or of a run of binary frames): held bytes, if any, become one U+FFFD piece. */
  flush(sink: Utf8PieceSink): void;
  /** Bytes held back (0–3). */
  held(): number;
  /** Stream offset of the first byte held back (== bytes consumed when nothing is held). */
  heldStart(): number;
  /** Total bytes pushed so far. */
  position(): number;
}

const REPLACEMENT = '\uFFFD';
/** Runs longer than this are decoded natively; shorter ones in JS (cheaper than a native call). */
const NATIVE_RUN = 32;

const units = new Uint16Array(NATIVE_RUN + 1);

/** Decodes bytes already known to be valid UTF-8. */
function decodeValid(buf: Uint8Array, a: number, b: number): string {
  if (b - a > NATIVE_RUN) return Buffer.from(buf.buffer, buf.byteOffset + a, b - a).toString('utf8');
  // Short runs (the usual 1–6 byte token): code units into a scratch array, one string at the end.
  let k = 0;
  for (let i = a; i < b; i++) {
    const c = buf[i]!;
    if (c < 0x80) units[k++] = c;
    else if (c < 0xe0) units[k++] = ((c & 0x1f) << 6) | (buf[++i]! & 0x3f);
    else if (c < 0xf0) units[k++] = ((c & 0x0f) << 12) | ((buf[++i]! & 0x3f) << 6) | (buf[++i]! & 0x3f);
    else {
      const cp = (((c & 0x07) << 18) | ((buf[++i]! & 0x3f) << 12) | ((buf[++i]! & 0x3f) << 6) | (buf[++i]! & 0x3f)) - 0x10000;
      units[k++] = 0xd800 + (cp >> 10);
      units[k++] = 0xdc00 + (cp & 0x3ff);
    }
  }
  switch (k) {
    case 1:
      return String.fromCharCode(units[0]!);
    case 2:
      return String.fromCharCode(units[0]!, units[1]!);
    case 3:
      return String.fromCharCode(units[0]!, units[1]!, units[2]!);
    case 4:
      return String.fromCharCode(units[0]!, units[1]!, units[2]!, units[3]!);
    case 5:
      return String.fromCharCode(units[0]!, units[1]!, units[2]!, units[3]!, units[4]!);
    case 6:
      return String.fromCharCode(units[0]!, units[1]!, units[2]!, units[3]!, units[4]!, units[5]!);
    default:
      return String.fromCharCode.apply(null, units.subarray(0, k) as unknown as number[]);
  }
}

/** Collects pieces into objects (for tests and one-off callers). */
export function collectPieces(into: Utf8Piece[]): Utf8PieceSink {
  return (text, byteStart, byteEnd, invalid, carried) => {
    const p: Utf8Piece = { text, byteStart, byteEnd };
    if (invalid) p.invalid = true;
    if (carried) p.carried = true;
    into.push(p);
  };
}

export function createUtf8StreamDecoder(): Utf8StreamDecoder {
  const carry = new Uint8Array(4); // incomplete, so-far-valid prefix of one character
  let carryLen = 0;
  let carryStart = 0; // stream offset of carry[0]
  let joinBuf = new Uint8Array(64); // carry + next chunk, reused
  let total = 0;

  return {
    push(chunk, sink, from = 0, to = chunk.length) {
      // Joining before decoding: the carried prefix is rescanned with the new bytes (≤ 3 extra bytes).
      // Offsets below are relative to `first` in `buf`; no typed-array views are made (they cost more than
      // a token's worth of decoding).
      let buf = chunk;
      let first = from;
      const carried = carryLen;
      const base = carried > 0 ? carryStart : total;
      const size = to - from;
      if (carried > 0) {
        if (joinBuf.length < carried + size) joinBuf = new Uint8Array(2 * (carried + size));
        for (let k = 0; k < carried; k++) joinBuf[k] = carry[k]!;
        if (size > 16) joinBuf.set(chunk.subarray(from, to), carried);
        else for (let k = 0; k < size; k++) joinBuf[carried + k] = chunk[from + k]!;
        buf = joinBuf;
        first = 0;
      }
      total += size;
      carryLen = 0;

      // The Encoding Standard's UTF-8 decoder, tracking validity only; valid runs are decoded in one go.
      let runStart = 0;
      let needed = 0;
      let seen = 0;
      let lower = 0x80;
      let upper = 0xbf;
      let seqStart = 0;
      const n = carried + size;
      for (let i = 0; i < n; i++) {
        const b = buf[first + i]!;
        if (needed === 0) {
          if (b < 0x80) continue;
          seqStart = i;
          if (b >= 0xc2 && b <= 0xdf) {
            needed = 1;
          } else if (b >= 0xe0 && b <= 0xef) {
            if (b === 0xe0) lower = 0xa0;
            else if (b === 0xed) upper = 0x9f;
            needed = 2;
          } else if (b >= 0xf0 && b <= 0xf4) {
            if (b === 0xf0) lower = 0x90;
            else if (b === 0xf4) upper = 0x8f;
            needed = 3;
          } else {
            if (i > runStart) sink(decodeValid(buf, first + runStart, first + i), base + runStart, base + i, false, runStart < carried);
            sink(REPLACEMENT, base + i, base + i + 1, true, i < carried);
            runStart = i + 1;
          }
          continue;
        }
        if (b < lower || b > upper) {
          // The maximal subpart [seqStart, i) is one U+FFFD; byte i is looked at again as a fresh start.
          if (seqStart > runStart) sink(decodeValid(buf, first + runStart, first + seqStart), base + runStart, base + seqStart, false, runStart < carried);
          sink(REPLACEMENT, base + seqStart, base + i, true, seqStart < carried);
          runStart = i;
          needed = 0;
          seen = 0;
          lower = 0x80;
          upper = 0xbf;
          i--;
          continue;
        }
        lower = 0x80;
        upper = 0xbf;
        if (++seen === needed) {
          needed = 0;
          seen = 0;
        }
      }
      const validEnd = needed > 0 ? seqStart : n;
      if (validEnd > runStart) sink(decodeValid(buf, first + runStart, first + validEnd), base + runStart, base + validEnd, false, runStart < carried);
      if (needed > 0) {
        // Copied: the caller's chunk (often a reused scratch buffer) must not be kept.
        carryLen = n - seqStart;
        for (let k = 0; k < carryLen; k++) carry[k] = buf[first + seqStart + k]!;
        carryStart = base + seqStart;
      }
    },
    flush(sink) {
      if (carryLen === 0) return;
      const start = carryStart;
      const len = carryLen;
      carryLen = 0;
      sink(REPLACEMENT, start, start + len, true, true);
    },
    held: () => carryLen,
    heldStart: () => (carryLen > 0 ? carryStart : total),
    position: () => total,
  };
}
