// Which output chunk each piece of filtered text came from. Webchat receives whole outputs; the preview must
// know, for every released filtered character, the output whose raw text produced it — even when the filter
// held that text back and released it with a later chunk.
//
// Rule (docs/webchat-rendering.md, "Attribution"): filtered text outside a detection copies raw text one to
// one, so it belongs to the output that raw character came in. A detection's replacement is atomic and
// belongs to the output that holds the detection's LAST raw character: that is the chunk that completed the
// value, the earliest moment a filter in front of Webchat could release the replacement.
// Pure: state in a closure, no I/O; the result never depends on when the filter chose to release.

/** One released piece: filtered `text` at filtered offset `start`, from output `frame`. */
export interface AttributedPiece {
  frame: number;
  start: number;
  text: string;
}

/** The hit fields attribution needs (FilterHit from shared/events has them). */
export interface AttributionHit {
  rawStart: number;
  rawEnd: number;
  outStart: number;
  outEnd: number;
}

export interface Attribution {
  /** Raw text [start, start + length) arrived in output `frame`. Calls come in raw order. */
  raw(frame: number, start: number, length: number): void;
  /** The filter released `text` at filtered offset `start` with these hits (sorted, absolute offsets). */
  release(start: number, text: string, hits: readonly AttributionHit[]): AttributedPiece[];
  /** Raw units covered by the releases so far: every output whose raw text ends here or before is settled. */
  rawReleased(): number;
}

export function createAttribution(): Attribution {
  /** Raw segments in order: segment i starts at segStart[i] and belongs to output segFrame[i]. */
  const segStart: number[] = [];
  const segFrame: number[] = [];
  let rawLength = 0;
  /** Segment holding rawCursor: attribution only moves forward, so a pointer replaces a search. */
  let seg = 0;
  let rawCursor = 0;
  let outCursor = 0;

  const frameAt = (rawPos: number): number => {
    while (seg + 1 < segStart.length && segStart[seg + 1]! <= rawPos) seg++;
    // Raw text the filter released that no raw() call announced cannot happen in a session; -1 makes it visible.
    return segStart.length ? segFrame[seg]! : -1;
  };

  const push = (out: AttributedPiece[], frame: number, start: number, text: string) => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.frame === frame && last.start + last.text.length === start) last.text += text;
    else out.push({ frame, start, text });
  };

  /** Plain (copied) filtered text from outCursor: split at the raw segment boundaries it crosses. */
  const plain = (out: AttributedPiece[], text: string) => {
    let i = 0;
    while (i < text.length) {
      const frame = frameAt(rawCursor);
      const next = seg + 1 < segStart.length ? segStart[seg + 1]! : Infinity;
      const n = Math.min(text.length - i, next - rawCursor);
      push(out, frame, outCursor, text.slice(i, i + n));
      i += n;
      rawCursor += n;
      outCursor += n;
    }
  };

  return {
    raw(frame, start, length) {
      if (length <= 0) return;
      if (start !== rawLength) throw new Error(`attribution: raw text at ${start} but ${rawLength} units known`);
      if (segFrame[segFrame.length - 1] !== frame) {
        segStart.push(start);
        segFrame.push(frame);
      }
      rawLength = start + length;
    },
    release(start, text, hits) {
      if (start !== outCursor) throw new Error(`attribution: filtered text at ${start} but ${outCursor} units released`);
      const out: AttributedPiece[] = [];
      let i = 0;
      for (const h of hits) {
        const before = h.outStart - outCursor;
        plain(out, text.slice(i, i + before));
        i += before;
        const len = h.outEnd - h.outStart;
        // The pointer may move to the detection's last unit: everything after it is attributed later.
        const frame = frameAt(Math.max(h.rawStart, h.rawEnd - 1));
        push(out, frame, outCursor, text.slice(i, i + len));
        i += len;
        outCursor += len;
        rawCursor = h.rawEnd;
      }
      plain(out, text.slice(i));
      return out;
    },
    rawReleased() {
      return rawCursor;
    },
  };
}
