// CREDIT_CARD: 13–19 digits, plain or grouped by single spaces (incl. no-break) or dashes (one kind), starting
// with a payment-card major industry identifier (1–6), Luhn-valid. Order numbers and other digit runs that
// fail Luhn, digits that continue a longer number or a decimal, and the groups of an IBAN-shaped reference
// (one that failed mod-97 is still a reference, not a card) are left alone.
import { continuesNumber, isAsciiLetter, isDigit, isDigitSpace, isWord, lowerAscii } from '../chars';
import { luhnValid } from '../checksums';
import { NONE, PENDING, textBefore, type Detector, type TextBefore } from '../types';
import { IBAN_LENGTHS } from './iban';

const MIN = 13;
const MAX = 19;

export function createCreditCardDetector(): Detector {
  return {
    type: 'CREDIT_CARD',
    maxLookahead: MAX + 6 + 2,
    startsAt: (c) => c >= 49 && c <= 54,
    normalize: (v) => v.replace(/\D/g, ''),
    detect(s, i, atEnd, before) {
      if (i > 0 && isWord(s.charCodeAt(i - 1))) return NONE;
      if (continuesNumber(s, i)) return NONE;
      const len = cardAt(s, i, atEnd);
      return len > 0 && insideIbanShape(s, i, len, before) ? NONE : len;
    },
  };
}

/** The card starting at s[i] (its length), NONE or PENDING. */
function cardAt(s: string, i: number, atEnd: boolean): number {
  const n = s.length;
  let j = i;
  while (j < n && isDigit(s.charCodeAt(j))) {
    if (++j - i > MAX) return NONE;
  }
  if (j >= n && !atEnd) return PENDING;
  const first = j - i;
  if (first >= MIN) {
    const b = boundary(s, j, atEnd);
    if (b !== true) return b === PENDING ? PENDING : NONE;
    return luhnValid(s.slice(i, j)) ? first : NONE;
  }
  if (first < 4 || first > 6) return NONE;

  // Grouped: every group end with 13–19 digits so far is a candidate; the longest Luhn-valid one wins.
  // (A read past the end would deoptimize this function: the text ends after the first group.)
  if (j >= n) return NONE;
  const sep = s.charCodeAt(j);
  if (!isDigitSpace(sep) && sep !== 45) return NONE;
  const ends: number[] = [];
  let total = first;
  let k = j;
  for (;;) {
    if (k >= n) {
      if (!atEnd) return PENDING;
      break;
    }
    if (s.charCodeAt(k) !== sep) break;
    if (k + 1 >= n) {
      if (!atEnd) return PENDING;
      break;
    }
    if (!isDigit(s.charCodeAt(k + 1))) break;
    let m = k + 1;
    while (m < n && isDigit(s.charCodeAt(m))) m++;
    if (m >= n && !atEnd && m - (k + 1) <= 6 && total + (m - (k + 1)) <= MAX) return PENDING;
    const len = m - (k + 1);
    if (len < 3 || len > 6 || total + len > MAX) break;
    total += len;
    if (total >= MIN) ends.push(m);
    k = m;
  }
  // Decremented on entry, not after a failed try: a decrement first reached long after this function was
  // optimized (most candidates end at their first try) has no type feedback and deoptimized it (issue 13).
  for (let e = ends.length; e > 0; ) {
    const end = ends[--e]!;
    if (e === ends.length - 1 || s.charCodeAt(end) !== sep) {
      const b = boundary(s, end, atEnd);
      if (b === PENDING) return PENDING;
      if (b !== true) continue;
    }
    if (luhnValid(s.slice(i, end))) return end - i;
  }
  return NONE;
}

// Country code, check digits and up to 8 further groups of four, each followed by one space.
const IBAN_LOOKBACK = 5 * 9;

/**
 * True when the card candidate s[i, i+len) continues an IBAN-shaped reference written in groups of four:
 * `CC99 ` and whole groups before it, with the candidate ending within that country's registered length.
 * Only text before s[i] (through `before`, at most IBAN_LOOKBACK units) and the candidate itself are read,
 * so the answer is the same streamed or whole.
 */
function insideIbanShape(s: string, i: number, len: number, before: TextBefore): boolean {
  const { text } = textBefore(s, i, IBAN_LOOKBACK, before);
  let p = text.length;
  let groups = 0;
  while (p >= 5 && text.charCodeAt(p - 1) === 32) {
    const g = p - 5;
    let alnum = true;
    for (let o = 0; o < 4; o++) {
      const c = text.charCodeAt(g + o);
      if (!isDigit(c) && !isAsciiLetter(c)) alnum = false;
    }
    if (!alnum) return false;
    groups++;
    const startsText = g === 0 || !isWord(text.charCodeAt(g - 1));
    const c0 = text.charCodeAt(g);
    const c1 = text.charCodeAt(g + 1);
    if (startsText && isAsciiLetter(c0) && isAsciiLetter(c1) && isDigit(text.charCodeAt(g + 2)) && isDigit(text.charCodeAt(g + 3))) {
      const want = IBAN_LENGTHS[String.fromCharCode(lowerAscii(c0) - 32, lowerAscii(c1) - 32)];
      const digits = s.slice(i, i + len).replace(/\D/g, '').length;
      return want !== undefined && groups * 4 + digits <= want;
    }
    if (!startsText && text.charCodeAt(g - 1) !== 32) return false;
    p = g;
  }
  return false;
}

/** After a number: not glued to a word, not followed by a decimal part. */
function boundary(s: string, j: number, atEnd: boolean): true | typeof NONE | typeof PENDING {
  const n = s.length;
  if (j >= n) return atEnd ? true : PENDING;
  const c = s.charCodeAt(j);
  if (isWord(c)) return NONE;
  if (c === 46 || c === 44) {
    if (j + 1 >= n) return atEnd ? true : PENDING;
    if (isDigit(s.charCodeAt(j + 1))) return NONE;
  }
  return true;
}

export { boundary as numberBoundary };
