// The leak alarm: the whole raw text is filtered once more and compared with what the stream released. Any
// difference means the streaming filter broke its guarantee (it must never happen; tests prove it would be
// noticed). The report names a position, never text.
// In a turn the second pass runs as the answer grows (createLeakCheck), in large blocks cut independently of
// the tokens, so the end of a long turn never filters the whole answer in one block (issue 13); checkLeak
// does the same comparison for a text at hand.
import type { CompiledPolicy } from './compile';
import { createFilter, filterText } from './stream-filter';
import type { FilterOptions } from './types';

export interface LeakReport {
  /** Offset in the filtered text where the released text first differs from whole-text filtering. */
  position: number;
  detail: string;
}

export function checkLeak(cp: CompiledPolicy, rawText: string, releasedText: string, opts: FilterOptions = {}): LeakReport | undefined {
  return compareReleased(filterText(cp, rawText, opts).output, releasedText);
}

export interface LeakCheck {
  /** The raw text as it grows (every piece, in order). */
  feed(raw: string): void;
  /** What the stream released, as it is released (every piece, in order). */
  released(text: string): void;
  /** Compares everything released with the second pass over everything fed. */
  end(): LeakReport | undefined;
}

/**
 * Raw text gathered before a block is filtered. Big enough that the second pass sees almost nothing of the
 * stream's chunking (most answers are one block, filtered at the end), small enough that one block costs a
 * millisecond or two, not a stall.
 */
export const LEAK_CHECK_BLOCK = 16 * 1024;

/**
 * The leak check of one turn, done as the answer grows: a second filter takes the raw text in blocks and
 * its output is compared with the released text as far as both have got, so the end of the turn only
 * filters and compares the last block.
 */
export function createLeakCheck(cp: CompiledPolicy, opts: FilterOptions = {}): LeakCheck {
  const second = createFilter(cp, opts);
  let pending: string[] = [];
  let pendingLength = 0;
  /** Second-pass output and released text not compared yet, and how much of both already was. */
  let expected = '';
  let released = '';
  let compared = 0;
  let releasedTotal = 0;
  let mismatch: number | undefined;
  let blocked = false;
  const compare = () => {
    if (mismatch !== undefined) return;
    const n = Math.min(expected.length, released.length);
    let i = 0;
    while (i < n && expected.charCodeAt(i) === released.charCodeAt(i)) i++;
    if (i < n) {
      mismatch = compared + i;
      return;
    }
    compared += n;
    expected = expected.slice(n);
    released = released.slice(n);
  };
  const flush = () => {
    if (!pendingLength || blocked) return;
    const r = second.feed(pending.join(''));
    pending = [];
    pendingLength = 0;
    expected += r.text;
    if (r.blocked) blocked = true;
    compare();
  };
  return {
    feed(raw) {
      pending.push(raw);
      pendingLength += raw.length;
      if (pendingLength >= LEAK_CHECK_BLOCK) flush();
    },
    released(text) {
      released += text;
      releasedTotal += text.length;
    },
    end() {
      flush();
      if (!blocked) expected += second.end().text;
      compare();
      const expectedTotal = compared + expected.length;
      if (mismatch === undefined && expected.length === released.length) return undefined;
      return describe(mismatch ?? compared + Math.min(expected.length, released.length), releasedTotal, expectedTotal);
    },
  };
}

function compareReleased(expected: string, releasedText: string): LeakReport | undefined {
  if (expected === releasedText) return undefined;
  const max = Math.min(expected.length, releasedText.length);
  let position = 0;
  while (position < max && expected.charCodeAt(position) === releasedText.charCodeAt(position)) position++;
  return describe(position, releasedText.length, expected.length);
}

/** The report of a difference first seen at filtered offset `position`. */
function describe(position: number, released: number, expected: number): LeakReport {
  const detail =
    position === released
      ? `released text stops at ${position} of ${expected} filtered characters`
      : position === expected
        ? `released text has ${released - expected} characters more than whole-text filtering (from ${position})`
        : `released text differs from whole-text filtering at filtered offset ${position} (released ${released}, expected ${expected} characters)`;
  return { position, detail };
}
