// The streaming safety filter: feed it the raw text as it grows, it releases filtered text as soon as no
// candidate that could still become a detection overlaps it. State lives in this closure; no I/O.
// Guarantee (tested with random chunkings): the concatenation of everything released, and the hits, equal
// filterText() of the whole text — whatever the chunking, including split surrogate pairs.
// It must never release raw text a detection could still cover, and never put a detected value anywhere
// but where it was replaced.
import type { CompiledPolicy } from './compile';
import { createScanState, scan, type Detection } from './engine';
import { isHighSurrogate } from './chars';
import { replacement } from './replacement';
import { SHORT_CONTEXT, type FilterChunk, type FilterOptions, type FilterResult, type Hit, type PendingRun, type StreamFilter } from './types';

export function createFilter(cp: CompiledPolicy, opts: FilterOptions = {}): StreamFilter {
  return makeFilter(cp, opts, '');
}

/** Shared empty results: FilterChunk arrays are read-only for their receivers. */
const EMPTY_HITS: Hit[] = Object.freeze([]) as unknown as Hit[];
const EMPTY: string[] = Object.freeze([]) as unknown as string[];

function makeFilter(cp: CompiledPolicy, opts: FilterOptions, initial: string): StreamFilter {
  const salt = opts.hashSalt ?? cp.defaultSalt;
  /**
   * The window a scan sees: the last SHORT_CONTEXT released raw units (word and number boundaries) and then
   * the raw text not released yet. A token appends to it; nothing else is copied per token.
   */
  let win = initial;
  let winCtx = 0;
  /** Raw offset of win[winCtx]. */
  let heldStart = 0;
  /**
   * Released raw text, as ranges of earlier windows in a ring (no copy per token): every release is at least
   * one unit, so the ring always covers cp.leftContext + SHORT_CONTEXT units. Detectors read it, through
   * `before`, only for context words and regex lookbehind; it is joined then and cached until the next release.
   */
  const ringSize = cp.leftContext + SHORT_CONTEXT + 8;
  const ringStr: string[] = new Array<string>(ringSize).fill('');
  const ringFrom = new Int32Array(ringSize);
  const ringTo = new Int32Array(ringSize);
  let ringHead = 0;
  let ringCount = 0;
  let tailCache: string | null = '';
  const tail = (): string => {
    if (tailCache === null) {
      let t = '';
      for (let n = 0, k = ringHead; n < ringCount && t.length < ringSize; n++) {
        k = k === 0 ? ringSize - 1 : k - 1;
        t = ringStr[k]!.slice(ringFrom[k], ringTo[k]) + t;
      }
      tailCache = t;
    }
    return tailCache;
  };
  const before = (): string => {
    const t = tail();
    return winCtx ? t.slice(0, t.length - winCtx) : t;
  };
  /** Length of the filtered text released so far. */
  let outPos = 0;
  let blocked: { type: string } | undefined;
  let ended = false;
  /** Reused by every scan of this filter; carries what is settled at the first held position. */
  const st = createScanState();
  /**
   * Whether the held text is all units of the pendingRun of the detector waiting at its start (st.pending):
   * 0 not known yet (asked only when a token could extend the run), 1 yes, 2 no.
   */
  let heldIsRun = 0;
  const heldRun = (run: PendingRun): boolean => {
    if (heldIsRun === 0) heldIsRun = allIn(run.units, win, winCtx) ? 1 : 2;
    return heldIsRun === 1;
  };

  // The window of one step and its output; emit is created once, not per token.
  let s = '';
  let base = 0;
  let out = '';
  let hits = EMPTY_HITS;
  let cursor = 0;
  const emit = (d: Detection): void => {
    if (d.start > cursor) {
      out += s.slice(cursor, d.start);
      outPos += d.start - cursor;
    }
    const action = d.det.action;
    const text = action === 'block' ? '' : replacement(action, d.det.type, d.value, d.normalized, salt);
    if (hits === EMPTY_HITS) hits = [];
    hits.push({ type: d.det.type, action, start: base + d.start, end: base + d.end, outStart: outPos, outEnd: outPos + text.length });
    out += text;
    outPos += text.length;
    cursor = d.end;
  };

  function remember(str: string, from: number, to: number): void {
    ringStr[ringHead] = str;
    ringFrom[ringHead] = from;
    ringTo[ringHead] = to;
    ringHead = ringHead + 1 === ringSize ? 0 : ringHead + 1;
    if (ringCount < ringSize) ringCount++;
    tailCache = null;
  }

  /**
   * One scan over the window (`fed`: the text this call appended, which is the whole held text when
   * nothing was held before it). Returns what it releases.
   */
  function step(atEnd: boolean, fed: string): FilterChunk {
    const w = win;
    const ctxLen = winCtx;
    s = w;
    base = heldStart - ctxLen;
    out = '';
    hits = EMPTY_HITS;
    cursor = ctxLen;
    scan(cp, w, ctxLen, atEnd, before, emit, st);
    if (st.blocked) {
      const d = st.blocked;
      emit(d);
      blocked = { type: d.det.type };
      win = '';
      return { text: out, hits, holdback: 0, pending: EMPTY, blocked };
    }
    const n = w.length;
    let releaseTo = st.stop;
    // Half a surrogate pair waits for its other half (the end of the turn flushes it as it is).
    if (!atEnd && releaseTo === n && releaseTo > cursor && isHighSurrogate(w.charCodeAt(releaseTo - 1))) releaseTo--;
    if (releaseTo > cursor) {
      // Nothing held before this call, nothing detected, all of it released: that is the text fed (no copy).
      out = cursor === ctxLen && releaseTo === n && n - ctxLen === fed.length ? fed : out + w.slice(cursor, releaseTo);
      outPos += releaseTo - cursor;
    }
    if (releaseTo > ctxLen) {
      remember(w, ctxLen, releaseTo);
      heldStart = base + releaseTo;
      const keepFrom = releaseTo > SHORT_CONTEXT ? releaseTo - SHORT_CONTEXT : 0;
      win = w.slice(keepFrom);
      winCtx = releaseTo - keepFrom;
    }
    if (releaseTo !== st.stop) st.settled = 0;
    heldIsRun = 0;
    // A shared read-only array per detector: no allocation per token.
    return { text: out, hits, holdback: win.length - winCtx, pending: st.pending ? st.pending.pendingTypes : EMPTY };
  }

  return {
    feed(text: string): FilterChunk {
      if (ended) throw new Error('filter.feed() after end()');
      if (blocked) return { text: '', hits: [], holdback: 0, pending: [], blocked };
      const run = st.pending === null ? null : st.pending.run;
      if (run !== null && text.length > 0 && win.length - winCtx + text.length <= run.max && allIn(run.units, text, 0) && heldRun(run)) {
        // The held text is a run of what the detector waiting at its start keeps waiting over, and so is
        // this text (Detector.pendingRun): the scan would stop at the same place, so it is not run (an LLM's
        // tokens are often a piece of a word).
        win += text;
        return { text: '', hits: EMPTY_HITS, holdback: win.length - winCtx, pending: st.pending!.pendingTypes };
      }
      win += text;
      return step(false, text);
    },
    end(): FilterChunk {
      if (ended) throw new Error('filter.end() called twice');
      ended = true;
      if (blocked) return { text: '', hits: [], holdback: 0, pending: [], blocked };
      return step(true, '');
    },
    reset(): void {
      win = '';
      winCtx = 0;
      heldStart = 0;
      ringStr.fill('');
      ringHead = 0;
      ringCount = 0;
      tailCache = '';
      outPos = 0;
      blocked = undefined;
      ended = false;
      st.settled = 0;
      st.pending = null;
      st.blocked = null;
      heldIsRun = 0;
    },
  };
}

/** True when every unit of `text` from `from` is one of `units` (ASCII, 1 = in). */
function allIn(units: Uint8Array, text: string, from: number): boolean {
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 128 || units[c] === 0) return false;
  }
  return true;
}

/**
 * Filters a whole text at once: the reference the streaming filter must equal. It runs the same scan with
 * the end of the text known from the start, so no detector ever waits.
 */
export function filterText(cp: CompiledPolicy, text: string, opts: FilterOptions = {}): FilterResult {
  const f = makeFilter(cp, opts, text);
  const r = f.end();
  return r.blocked ? { output: r.text, hits: r.hits, blocked: r.blocked } : { output: r.text, hits: r.hits };
}
