// Context words around a candidate ("call me at …", "… office"), read from the raw text within the
// detectors' left-context window. Words are ASCII letter runs, lower-cased.
import { LEFT_CONTEXT, textBefore, type TextBefore } from '../types';

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Characters that glue words into one identifier ("call-bind", "phone_number", "a/b", "x@y"). */
function isJoiner(c: number): boolean {
  return c === 45 || c === 95 || c === 47 || c === 64;
}

/**
 * Up to `max` words before `i`, nearest first, looking back at most LEFT_CONTEXT - 2 code units. A part of a
 * compound identifier ("call-bind", "www.phone.com") comes back as '' so that it never reads as a word.
 */
export function precedingWords(s: string, i: number, max: number, before: TextBefore): string[] {
  const len = LEFT_CONTEXT - 2;
  // text[lo, hi) is what may be read: in place when the window holds all of it (a whole text, mostly), so
  // no copy of the context is made per call; else the text before the window joined to its start.
  let text = s;
  let lo = i - len;
  let hi = i;
  let more: boolean;
  if (lo >= 0) more = lo > 0 || before().length > 0;
  else {
    ({ text, more } = textBefore(s, i, len, before));
    lo = 0;
    hi = text.length;
  }
  const out: string[] = [];
  let k = hi - 1;
  while (k >= lo && out.length < max) {
    while (k >= lo && !isLetter(text.charCodeAt(k))) k--;
    if (k < lo) break;
    const end = k + 1;
    while (k >= lo && isLetter(text.charCodeAt(k))) k--;
    // A word cut by the edge of what we may read is not a word we know.
    if (k < lo && more) break;
    const left = k >= lo ? text.charCodeAt(k) : -1;
    const right = end < hi ? text.charCodeAt(end) : -1;
    const glued = isJoiner(left) || left === 46 || isJoiner(right) || (right >= 48 && right <= 57);
    out.push(glued ? '' : text.slice(k + 1, end).toLowerCase());
  }
  return out;
}

/**
 * The word right after position `j` (skipping one short run of separators such as " ", "-", " - ", ", ",
 * " (" ), lower-cased; `undefined` if there is none; `null` if the text ends before it is known.
 */
export function followingWord(s: string, j: number, atEnd: boolean, maxLen: number): string | undefined | null {
  const n = s.length;
  let k = j;
  let seps = 0;
  while (k < n && seps < 3) {
    const c = s.charCodeAt(k);
    if (c === 32 || c === 45 || c === 44 || c === 40 || c === 9 || c === 47) {
      k++;
      seps++;
    } else break;
  }
  if (k >= n) return atEnd ? undefined : null;
  const start = k;
  while (k < n && isLetter(s.charCodeAt(k))) {
    k++;
    if (k - start > maxLen) return undefined;
  }
  if (k >= n && !atEnd) return null;
  if (k === start) return undefined;
  return s.slice(start, k).toLowerCase();
}
