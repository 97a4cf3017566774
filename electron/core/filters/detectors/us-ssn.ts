// US_SSN: AAA-GG-SSSS with dashes or spaces (one kind), or nine plain digits right after "SSN"/"social
// security". Rejects area 000, 666 and 900–999, group 00 and serial 0000, and numbers that continue.
import { continuesNumber, isDigit, isWord } from '../chars';
import { NONE, PENDING, type Detector, type TextBefore } from '../types';
import { numberBoundary } from './credit-card';
import { precedingWords } from './context';

const SSN_WORDS = new Set(['ssn', 'ssns', 'social', 'security', 'ss']);

export function createSsnDetector(): Detector {
  return {
    type: 'US_SSN',
    maxLookahead: 13,
    startsAt: (c) => c >= 48 && c <= 57,
    normalize: (v) => v.replace(/\D/g, ''),
    detect(s, i, atEnd, before) {
      if (i > 0 && isWord(s.charCodeAt(i - 1))) return NONE;
      if (continuesNumber(s, i)) return NONE;
      const n = s.length;
      let len = shaped(s, i, atEnd);
      // Nine plain digits count only where the words before name an SSN. That context is read last, after
      // the checks that cost nothing: reading words back costs the most, and most nine-digit starts are
      // longer numbers ("order 1234567890123") the boundary rejects (issue 13). The answer is the same.
      let plainDigits = false;
      if (len === NONE) {
        len = plain(s, i, atEnd);
        if (len === NONE) return NONE;
        if (len === PENDING) return hasSsnContext(s, i, before) ? PENDING : NONE;
        plainDigits = true;
      }
      if (len === PENDING) return PENDING;
      const d = len === 11 ? s.slice(i, i + 3) + s.slice(i + 4, i + 6) + s.slice(i + 7, i + 11) : s.slice(i, i + 9);
      if (!validSsn(d)) return NONE;
      const b = numberBoundary(s, i + len, atEnd);
      if (b === NONE) return NONE;
      if (plainDigits && !hasSsnContext(s, i, before)) return NONE;
      if (b === PENDING) return PENDING;
      // "123-45-6789-0" or "123 45 6789 0123" continue into a longer number (a list "123-45-6789 555…" is fine).
      const after = s.charCodeAt(i + len);
      if (len === 11 && after === s.charCodeAt(i + 3)) {
        if (i + len + 1 >= n) {
          if (!atEnd) return PENDING;
        } else if (isDigit(s.charCodeAt(i + len + 1))) return NONE;
      }
      return len;
    },
  };
}

/** DDD-DD-DDDD or DDD DD DDDD: 11, NONE, or PENDING while the text so far fits the shape. */
function shaped(s: string, i: number, atEnd: boolean): number {
  let sep = 0;
  for (let p = 0; p < 11; p++) {
    const k = i + p;
    if (k >= s.length) return atEnd ? NONE : PENDING;
    const c = s.charCodeAt(k);
    if (p === 3) {
      if (c !== 45 && c !== 32) return NONE;
      sep = c;
    } else if (p === 6) {
      if (c !== sep) return NONE;
    } else if (!isDigit(c)) return NONE;
  }
  return 11;
}

/** Nine plain digits (only asked where the context names an SSN). */
function plain(s: string, i: number, atEnd: boolean): number {
  for (let p = 0; p < 9; p++) {
    const k = i + p;
    if (k >= s.length) return atEnd ? NONE : PENDING;
    if (!isDigit(s.charCodeAt(k))) return NONE;
  }
  return 9;
}

export function validSsn(d: string): boolean {
  if (d.length !== 9) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00') return false;
  if (d.slice(5) === '0000') return false;
  return true;
}

function hasSsnContext(s: string, i: number, before: TextBefore): boolean {
  for (const w of precedingWords(s, i, 4, before)) if (SSN_WORDS.has(w)) return true;
  return false;
}
