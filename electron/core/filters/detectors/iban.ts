// IBAN_CODE: country code, two check digits and the BBAN, exactly the registered length for that country,
// written compact or in groups of four separated by single spaces, any letter case; valid mod-97.
import { isAsciiLetter, isDigit, isWord, lowerAscii } from '../chars';
import { mod97Valid } from '../checksums';
import { NONE, PENDING, type Detector } from '../types';

/** IBAN lengths per country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18,
  FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23,
  IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27,
  MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27,
  SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

const MAX_IBAN = 34;

function isAlnum(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c);
}

export function createIbanDetector(): Detector {
  return {
    type: 'IBAN_CODE',
    maxLookahead: MAX_IBAN + 8 + 1,
    plainWordNone: true,
    startsAt: isAsciiLetter,
    normalize: (v) => v.replace(/[^A-Za-z0-9]/g, '').toUpperCase(),
    detect(s, i, atEnd) {
      if (i > 0 && isWord(s.charCodeAt(i - 1))) return NONE;
      const n = s.length;
      // Country code and check digits: the first four characters, never split.
      for (let p = 0; p < 4; p++) {
        if (i + p >= n) return atEnd ? NONE : PENDING;
        const c = s.charCodeAt(i + p);
        if (p < 2 ? !isAsciiLetter(c) : !isDigit(c)) return NONE;
      }
      const cc = String.fromCharCode(lowerAscii(s.charCodeAt(i)) - 32, lowerAscii(s.charCodeAt(i + 1)) - 32);
      const want = IBAN_LENGTHS[cc];
      if (!want) return NONE;
      // Compact (no spaces) or grouped by four; decided by the character after the first four.
      let k = i + 4;
      let count = 4;
      if (k >= n) return atEnd ? NONE : PENDING;
      const spaced = s.charCodeAt(k) === 32;
      let inGroup = 0;
      while (count < want) {
        if (k >= n) return atEnd ? NONE : PENDING;
        const c = s.charCodeAt(k);
        if (spaced && c === 32) {
          // A space is only allowed after a full group of four.
          if (count % 4 !== 0 || inGroup === -1) return NONE;
          inGroup = -1;
          k++;
          continue;
        }
        if (!isAlnum(c)) return NONE;
        if (spaced && inGroup !== -1 && count % 4 === 0) return NONE;
        inGroup = 0;
        count++;
        k++;
      }
      if (k >= n) {
        if (!atEnd) return PENDING;
      } else if (isWord(s.charCodeAt(k))) return NONE;
      return mod97Valid(s.slice(i, k), true) ? k - i : NONE;
    },
  };
}
