// The streaming safety filter: feed it the raw text as it grows, it releases filtered text as soon as no
// candidate that could still become a detection overlaps it. State lives in the filter object; no I/O.
// `append` adds text without scanning and `scan` scans what was appended (`feed` is both): the session
// appends the joined text of an event-loop tick's tokens and scans once (issue 13), since every scan has a
// fixed cost.
// Guarantee (tested with random chunkings): the concatenation of everything released, and the hits, equal
// filterText() of the whole text — whatever the chunking, including split surrogate pairs.
// It must never release raw text a detection could still cover, and never put a detected value anywhere
// but where it was replaced.
// A class, not a closure per filter (issue 13): every filter shares the same methods, and the scan and the
// detectors call the same two functions (`emitCurrent`, `beforeCurrent`) for every filter, so the JIT's
// inlined call targets stay right when a new filter starts a new turn (closures made per filter cost a
// deoptimization, and a stretch of slow code, for every new filter).
import type { CompiledPolicy } from './compile';
import { createScanState, scan, type Detection, type ScanState } from './engine';
import { isHigh } from '../reassembly/surrogates';
import { replacement } from './replacement';
import { SHORT_CONTEXT, type FilterChunk, type FilterOptions, type FilterResult, type Hit, type PendingRun, type StreamFilter } from './types';

export function createFilter(cp: CompiledPolicy, opts: FilterOptions = {}): StreamFilter {
  return new Filter(cp, opts, '');
}

/**
 * The most window units one call of the scan decides (issue 13). A long window (a whole text, a leak-check
 * block, a big tick) is scanned in calls of this size. One long call gets the scan compiled a second time,
 * for on-stack replacement (OSR), while it runs in baseline code. Once that copy exists, a later deopt of
 * the regular code can leave every later call starting in baseline code and jumping into the OSR copy
 * (`--trace-osr` shows one entry per call), and short streaming scans then cost 2-3x as much.
 * `npm run bench filters`, chat mix, 8 runs each: the streamed/whole ratio was 1.24-1.51x (median 1.42x)
 * with one call per window, and 1.20-1.36x (median 1.26x) with these slices. Short calls make an OSR copy
 * rarer; they do not rule it out (the info row "one scan per token" still drops to 9 MB/s in some runs).
 */
export const SCAN_SLICE = 256;

/** Shared empty results: FilterChunk arrays are read-only for their receivers. */
const EMPTY_HITS: Hit[] = Object.freeze([]) as unknown as Hit[];
const EMPTY: string[] = Object.freeze([]) as unknown as string[];
const NO_UNITS = new Int32Array(0);
const wholeTextState: ScanState = createScanState();

/** The filter whose scan is running (scans are synchronous and never nest). */
const running: { filter: Filter | null } = { filter: null };
const emitCurrent = (d: Detection): void => running.filter!.emit(d);
const beforeCurrent = (): string => running.filter!.before();

class Filter implements StreamFilter {
  private readonly cp: CompiledPolicy;
  private readonly salt: string;
  /**
   * The window a scan sees: the last SHORT_CONTEXT released raw units (word and number boundaries) and then
   * the raw text not released yet. A token appends to it; nothing else is copied per token.
   */
  private win: string;
  private winCtx = 0;
  /** Raw offset of win[winCtx]. */
  private heldStart = 0;
  /**
   * Released raw text, as ranges of earlier windows in a ring (no copy per token): every release is at least
   * one unit, so the ring always covers cp.leftContext + SHORT_CONTEXT units. Detectors read it, through
   * `before`, only for context words and regex lookbehind; it is joined then and cached until the next release.
   * Allocated at the first release that a later scan may read back: filterText's one scan never needs it.
   */
  private readonly ringSize: number;
  private ringStr: string[] = EMPTY;
  private ringFrom: Int32Array = NO_UNITS;
  private ringTo: Int32Array = NO_UNITS;
  private ringHead = 0;
  private ringCount = 0;
  private tailCache: string | null = '';
  /** Length of the filtered text released so far. */
  private outPos = 0;
  private blocked: { type: string } | undefined = undefined;
  private ended = false;
  /** Reused by every scan of this filter; carries what is settled at the first held position. */
  private readonly st: ScanState;
  /**
   * Whether the held text is all units of the pendingRun of the detector waiting at its start (st.pending):
   * 0 not known yet (asked only when a token could extend the run), 1 yes, 2 no.
   */
  private heldIsRun = 0;
  /** Window units scanned so far: win[scanned, win.length) was appended and not scanned yet. */
  private scanned = 0;
  /** The one text appended since the last scan, when there was exactly one (released as it is: no copy). */
  private piece: string | null = null;
  // The window of one step and its output.
  private s = '';
  private base = 0;
  private out = '';
  private hits: Hit[] = EMPTY_HITS;
  private cursor = 0;

  constructor(cp: CompiledPolicy, opts: FilterOptions, initial: string, st: ScanState = createScanState()) {
    this.cp = cp;
    this.salt = opts.hashSalt ?? cp.defaultSalt;
    this.win = initial;
    this.ringSize = cp.leftContext + SHORT_CONTEXT + 8;
    this.st = st;
  }

  feed(text: string): FilterChunk {
    this.append(text);
    return this.scan();
  }

  append(text: string): void {
    if (this.ended) throw new Error('filter.feed() after end()');
    if (this.blocked || text.length === 0) return;
    this.piece = this.win.length === this.scanned ? text : null;
    this.win += text;
  }

  scan(): FilterChunk {
    if (this.ended) throw new Error('filter.scan() after end()');
    if (this.blocked) return { text: '', hits: [], holdback: 0, pending: [], blocked: this.blocked };
    const st = this.st;
    const w = this.win;
    // Nothing new: a scan would stop where the last one did and release nothing.
    if (w.length === this.scanned) return { text: '', hits: EMPTY_HITS, holdback: w.length - this.winCtx, pending: st.pending ? st.pending.pendingTypes : EMPTY };
    const run = st.pending === null ? null : st.pending.run;
    if (run !== null && w.length - this.winCtx <= run.max && allIn(run.units, w, this.scanned, w.length) && this.heldRun(run)) {
      // The held text is a run of what the detector waiting at its start keeps waiting over, and so is
      // the new text (Detector.pendingRun): the scan would stop at the same place, so it is not run (an
      // LLM's tokens are often a piece of a word).
      this.scanned = w.length;
      this.piece = null;
      return { text: '', hits: EMPTY_HITS, holdback: w.length - this.winCtx, pending: st.pending!.pendingTypes };
    }
    return this.step(false);
  }

  end(): FilterChunk {
    if (this.ended) throw new Error('filter.end() called twice');
    this.ended = true;
    if (this.blocked) return { text: '', hits: [], holdback: 0, pending: [], blocked: this.blocked };
    return this.step(true);
  }

  reset(): void {
    this.win = '';
    this.winCtx = 0;
    this.heldStart = 0;
    this.ringStr.fill('');
    this.ringHead = 0;
    this.ringCount = 0;
    this.tailCache = '';
    this.outPos = 0;
    this.blocked = undefined;
    this.ended = false;
    this.st.settled = 0;
    this.st.pending = null;
    this.st.blocked = null;
    this.heldIsRun = 0;
    this.scanned = 0;
    this.piece = null;
  }

  /** A detection of the running scan: the text before it and its replacement go out. */
  emit(d: Detection): void {
    if (d.start > this.cursor) {
      this.out += this.s.slice(this.cursor, d.start);
      this.outPos += d.start - this.cursor;
    }
    const action = d.det.action;
    const text = action === 'block' ? '' : replacement(action, d.det.type, d.value, d.normalized, this.salt);
    if (this.hits === EMPTY_HITS) this.hits = [];
    this.hits.push({ type: d.det.type, action, start: this.base + d.start, end: this.base + d.end, outStart: this.outPos, outEnd: this.outPos + text.length });
    this.out += text;
    this.outPos += text.length;
    this.cursor = d.end;
  }

  /** The raw text before the window (TextBefore). */
  before(): string {
    const t = this.tail();
    return this.winCtx ? t.slice(0, t.length - this.winCtx) : t;
  }

  private tail(): string {
    if (this.tailCache === null) {
      const size = this.ringSize;
      let t = '';
      for (let n = 0, k = this.ringHead; n < this.ringCount && t.length < size; n++) {
        k = k === 0 ? size - 1 : k - 1;
        t = this.ringStr[k]!.slice(this.ringFrom[k], this.ringTo[k]) + t;
      }
      this.tailCache = t;
    }
    return this.tailCache;
  }

  private heldRun(run: PendingRun): boolean {
    if (this.heldIsRun === 0) this.heldIsRun = allIn(run.units, this.win, this.winCtx, this.scanned) ? 1 : 2;
    return this.heldIsRun === 1;
  }

  private remember(str: string, from: number, to: number): void {
    if (this.ringStr === EMPTY) {
      this.ringStr = new Array<string>(this.ringSize).fill('');
      this.ringFrom = new Int32Array(this.ringSize);
      this.ringTo = new Int32Array(this.ringSize);
    }
    const h = this.ringHead;
    this.ringStr[h] = str;
    this.ringFrom[h] = from;
    this.ringTo[h] = to;
    this.ringHead = h + 1 === this.ringSize ? 0 : h + 1;
    if (this.ringCount < this.ringSize) this.ringCount++;
    this.tailCache = null;
  }

  /** One scan over the window (everything held and everything appended since the last scan). Returns what it releases. */
  private step(atEnd: boolean): FilterChunk {
    const w = this.win;
    const ctxLen = this.winCtx;
    const st = this.st;
    // The one text appended, when nothing was held before it: the whole window after the context.
    const piece = this.scanned === ctxLen ? this.piece : null;
    this.piece = null;
    this.s = w;
    this.base = this.heldStart - ctxLen;
    this.out = '';
    this.hits = EMPTY_HITS;
    this.cursor = ctxLen;
    running.filter = this;
    const n = w.length;
    for (let from = ctxLen; ; ) {
      scan(this.cp, w, from, atEnd, beforeCurrent, emitCurrent, st, n - from > SCAN_SLICE ? from + SCAN_SLICE : n);
      if (st.stop >= n || st.pending !== null || st.blocked !== null) break;
      from = st.stop;
    }
    running.filter = null;
    if (st.blocked) {
      const d = st.blocked;
      this.emit(d);
      this.blocked = { type: d.det.type };
      this.win = '';
      this.scanned = 0;
      return { text: this.out, hits: this.hits, holdback: 0, pending: EMPTY, blocked: this.blocked };
    }
    const cursor = this.cursor;
    let out = this.out;
    let releaseTo = st.stop;
    // Half a surrogate pair waits for its other half (the end of the turn flushes it as it is).
    if (!atEnd && releaseTo === n && releaseTo > cursor && isHigh(w.charCodeAt(releaseTo - 1))) releaseTo--;
    if (releaseTo > cursor) {
      // Nothing held before this call, nothing detected, all of it released: that is the text fed (no copy).
      out = cursor === ctxLen && releaseTo === n && piece !== null ? piece : out + w.slice(cursor, releaseTo);
      this.outPos += releaseTo - cursor;
    }
    if (releaseTo > ctxLen) {
      // After the end no scan reads the released text back.
      if (!atEnd) this.remember(w, ctxLen, releaseTo);
      this.heldStart = this.base + releaseTo;
      const keepFrom = releaseTo > SHORT_CONTEXT ? releaseTo - SHORT_CONTEXT : 0;
      this.win = w.slice(keepFrom);
      this.winCtx = releaseTo - keepFrom;
    }
    if (releaseTo !== st.stop) st.settled = 0;
    this.heldIsRun = 0;
    this.scanned = this.win.length;
    // A shared read-only array per detector: no allocation per token.
    return { text: out, hits: this.hits, holdback: this.win.length - this.winCtx, pending: st.pending ? st.pending.pendingTypes : EMPTY };
  }
}

/** True when every unit of text[from, to) is one of `units` (ASCII, 1 = in). */
function allIn(units: Uint8Array, text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
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
  // One scan state for every whole text (its scan runs to the end before this returns; scans never nest),
  // cleared as a new filter's is: no allocation of it per text.
  wholeTextState.settled = 0;
  wholeTextState.pending = null;
  wholeTextState.blocked = null;
  const r = new Filter(cp, opts, text, wholeTextState).end();
  return r.blocked ? { output: r.text, hits: r.hits, blocked: r.blocked } : { output: r.text, hits: r.hits };
}
