// The one scan both filterText and the streaming filter run: leftmost-longest detection over a window of
// raw text, stopping at the first position where a detector needs text that has not arrived yet.
// Because every detector answers only from what it has read, and says PENDING instead of guessing, a scan
// resumed at the stop position after more text arrives makes exactly the decisions a whole-text scan
// makes. No I/O; the only state is what the caller passes in (a ScanState it reuses, to stay allocation-free
// per token).
import type { CompiledDetector, CompiledPolicy } from './compile';
import { flags, PLAIN_OTHER, PLAIN_SYMBOL as SYM, plainPrefixIndex, WORD } from './chars';
import { PENDING, type TextBefore } from './types';

export interface Detection {
  det: CompiledDetector;
  /** Window indices. */
  start: number;
  end: number;
  value: string;
  /** The canonical form where the policy reads it (`hash`, allowed values: CompiledDetector.normalize), else the value. */
  normalized: string;
}

/** In/out state of a scan, reused by its owner. */
export interface ScanState {
  /**
   * Out: first window index not decided: s.length when everything was, the position of a pending or
   * blocked detection, or the first position at or after the call's `to` (nothing pending there).
   */
  stop: number;
  /** Out: the detector waiting at `stop` (the first asked that waits), or null. */
  pending: CompiledDetector | null;
  /** Out: a `block` detection; scanning ended at its start. */
  blocked: Detection | null;
  /**
   * In/out: at a pending stop, bit r set when the detector of rank r already gave its final answer there
   * (NONE or a length, kept in `answers[r]`). Only PENDING can change with more text, so the next scan from
   * the same position asks only the detectors that were pending. 0 when the stop was not pending.
   */
  settled: number;
  answers: Int32Array;
}

export function createScanState(): ScanState {
  return { stop: 0, pending: null, blocked: null, settled: 0, answers: new Int32Array(32) };
}

/** What the scan reads for a unit past the end of its window: above every code unit, so no table has it. */
const PAST_END = 0x10000;

const W = new Uint8Array(128);
for (let c = 0; c < 128; c++) W[c] = flags(c) & WORD ? 1 : 0;

function isWordUnit(c: number): boolean {
  return c < 128 ? W[c] === 1 : (flags(c) & WORD) !== 0;
}

/**
 * Scans `s` from `from`, calling `onDetection` for each detection that is not allow-listed, in order.
 * `s` may begin with already-released context (SHORT_CONTEXT units); `before()` gives the raw text before `s`.
 * `st.settled` describes position `from` on entry and the stop position on return.
 * Decides the positions before `to` (<= s.length) and stops at the first one it reaches at or after it
 * (detectors still read the whole of `s`): a scan resumed there decides what one call over it would, since
 * the scan carries nothing from one position to the next but what it reads back from `s`. See SCAN_SLICE.
 */
export function scan(
  cp: CompiledPolicy,
  s: string,
  from: number,
  atEnd: boolean,
  before: TextBefore,
  onDetection: (d: Detection) => void,
  st: ScanState,
  to: number,
): void {
  const n = s.length;
  const table = cp.startTable;
  const plainTable = cp.plainWordTable;
  const runTable = cp.plainRunTable;
  const plainStop = cp.plainTerminator;
  const plainPrefixes = cp.plainWordPrefixes;
  const midWord = cp.midWordTable;
  const hasMidWord = cp.hasMidWord;
  const answers = st.answers;
  // Read once: inside the loop it is read only at `from`, which many texts never reach with candidates,
  // and a read first made after the scan was optimized deoptimized it (issue 13).
  const settledAtFrom = st.settled;
  let i = from;
  st.blocked = null;
  st.pending = null;
  /** Whether s[i - 1] is a word unit: kept as the scan moves (read back only after a detection). */
  let prevWord = i > 0 && isWordUnit(s.charCodeAt(i - 1));
  while (i < to) {
    const c = s.charCodeAt(i);
    let candidates = table[c < 128 ? c : 128]!;
    const word = c < 128 ? W[c] === 1 : isWordUnit(c);
    if (candidates.length === 0 && !word) {
      // Spaces and punctuation no detector starts with.
      i++;
      prevWord = false;
      continue;
    }
    /** End of the word starting here when it was measured (to skip it if nothing starts here). */
    let wordEnd = 0;
    if (prevWord && word) {
      // Inside a word only the policy's own detectors can start (every built-in wants a word start): skip
      // the rest of the word in one go when there are none.
      if (!hasMidWord) {
        i++;
        while (i < n && isWordUnit(s.charCodeAt(i))) i++;
        continue;
      }
      candidates = midWord[c < 128 ? c : 128]!;
    } else if (c < 128 && !prevWord && candidates.length > 1 && W[c] === 1) {
      // A word of letters that ends in plain punctuation or space can only be what a detector of words
      // (profanity, the policy's own) finds: e-mail, IBAN and IPv6 need '@', digits or ':' in or after it.
      // A run with digits ("2019, ") cannot be an e-mail or IP address either (plainRunNone).
      // The word is measured unit by unit, its second and third units' symbols kept on the way for the
      // prefix table (PLAIN_OTHER when it is shorter); `d` ends as the unit after it (PAST_END past the window).
      let e = i + 1;
      let letters = c >= 65;
      let y = PLAIN_OTHER;
      let z = PLAIN_OTHER;
      let d = e < n ? s.charCodeAt(e) : PAST_END;
      if (d < 128 && W[d] === 1) {
        y = SYM[d]!;
        if (d < 65) letters = false; // a digit (or '_', which is > 65 and fine)
        d = ++e < n ? s.charCodeAt(e) : PAST_END;
        if (d < 128 && W[d] === 1) {
          z = SYM[d]!;
          if (d < 65) letters = false;
          d = ++e < n ? s.charCodeAt(e) : PAST_END;
          while (d < 128 && W[d] === 1) {
            if (d < 65) letters = false;
            d = ++e < n ? s.charCodeAt(e) : PAST_END;
          }
        }
      }
      if (d !== PAST_END) {
        const stop = d < 128 ? plainStop[d]! : 0;
        if (stop !== 0) {
          if (!letters) candidates = runTable[c]!;
          else {
            // No word detector finds anything at a plain word that starts so (most words of prose): past
            // it without a call.
            if (plainPrefixes !== null) {
              if (plainPrefixes[plainPrefixIndex(SYM[c]!, y, z)] === 0) {
                // Past the word, and past the space or punctuation after it when no detector starts there.
                if (stop === 2) {
                  i = e + 1;
                  prevWord = false;
                } else {
                  i = e;
                  prevWord = true;
                }
                continue;
              }
            }
            candidates = plainTable[c]!;
          }
        }
      }
      wordEnd = e;
    }
    if (candidates.length === 0) {
      i++;
      prevWord = word;
      continue;
    }
    let best: CompiledDetector | undefined;
    let bestLen = 0;
    /**
     * Longest wins; on equal length the higher priority (lower rank): one score, (length << 5) - rank
     * (ranks are < 32), compared for every match. A tie-break read only on a tie (rare, and often long
     * after the scan was optimized) has no type feedback and deoptimized the scan (issue 13).
     */
    let bestScore = 0;
    let pending: CompiledDetector | null = null;
    const known = i === from ? settledAtFrom : 0;
    let settled = known;
    for (let k = 0; k < candidates.length; k++) {
      const cd = candidates[k]!;
      let r: number;
      if (known & cd.bit) r = answers[cd.rank]!;
      else {
        if (c >= 128 && !cd.startsAt(c)) continue;
        r = cd.detect(s, i, atEnd, before);
        if (r === PENDING) {
          // The scan must wait here whatever the others say: ask them once this one has decided.
          pending = cd;
          break;
        }
        settled |= cd.bit;
        answers[cd.rank] = r;
      }
      if (r > 0) {
        const score = (r << 5) - cd.rank;
        if (score > bestScore) {
          best = cd;
          bestLen = r;
          bestScore = score;
        }
      }
    }
    if (pending) {
      st.stop = i;
      st.pending = pending;
      st.settled = settled;
      return;
    }
    if (!best) {
      // Nothing starts here; inside the word nothing can start either (unless the policy's own detectors).
      if (wordEnd > i && !hasMidWord) {
        i = wordEnd;
        prevWord = true;
      } else {
        i++;
        prevWord = word;
      }
      continue;
    }
    const end = i + bestLen;
    const value = s.slice(i, end);
    const normalized = best.normalize === null ? value : best.normalize(value);
    if (!cp.isAllowed(best.type, value, normalized)) {
      const d: Detection = { det: best, start: i, end, value, normalized };
      if (best.action === 'block') {
        st.stop = i;
        st.blocked = d;
        st.settled = 0;
        return;
      }
      onDetection(d);
    }
    i = end;
    prevWord = isWordUnit(s.charCodeAt(end - 1));
  }
  // Never past s.length: every step ends on a unit the scan read, or just after it.
  st.stop = i;
  st.settled = 0;
}
