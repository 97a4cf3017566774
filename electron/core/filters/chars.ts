// Character classes the detectors share, as table lookups on UTF-16 code units: the filter's inner loop
// runs per character, so nothing here allocates or builds a regex per call.
// Must never look at more than the one code unit it is given (surrogate halves are "not a letter").

export const DIGIT = 1;
export const ALPHA = 2;
export const HEX = 4;
/** Letters, digits and `_`: what counts as "inside a word" for whole-word boundaries. */
export const WORD = 8;
/** Characters allowed in the local part of an e-mail address (ASCII subset + non-ASCII letters). */
export const LOCAL = 16;
/** Characters allowed in a domain label. */
export const LABEL = 32;

const ascii = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let f = 0;
  if (c >= 48 && c <= 57) f |= DIGIT | HEX | WORD | LOCAL | LABEL;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) f |= ALPHA | WORD | LOCAL | LABEL;
  if (/[a-fA-F]/.test(ch)) f |= HEX;
  if (ch === '_') f |= WORD | LOCAL;
  if ('.%+-'.includes(ch)) f |= LOCAL;
  if (ch === '-') f |= LABEL;
  ascii[c] = f;
}

// Non-ASCII letters/digits (BMP only; surrogate halves never count), cached on first sight.
const wide = new Uint8Array(65536); // 0 unknown, 1 letter/digit, 2 other
const letterOrDigit = /^[\p{L}\p{N}\p{M}]$/u;

function wideIsWord(c: number): boolean {
  let v = wide[c];
  if (v === 0) {
    v = c >= 0xd800 && c <= 0xdfff ? 2 : letterOrDigit.test(String.fromCharCode(c)) ? 1 : 2;
    wide[c] = v;
  }
  return v === 1;
}

/** Flags of a code unit; non-ASCII letters/digits are WORD|LOCAL|LABEL. NaN (past the end) has none. */
export function flags(c: number): number {
  if (c < 128) return ascii[c] ?? 0;
  if (c !== c) return 0; // NaN: charCodeAt past the end
  return wideIsWord(c) ? WORD | LOCAL | LABEL : 0;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isWord(c: number): boolean {
  return (flags(c) & WORD) !== 0;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * A number may not start right after another number's decimal or thousands mark ("3.14159…", "1,234"):
 * digits there continue a number that began earlier.
 */
export function continuesNumber(s: string, i: number): boolean {
  if (i < 2) return false;
  const p = s.charCodeAt(i - 1);
  return (p === 46 || p === 44) && isDigit(s.charCodeAt(i - 2));
}

/** Spaces that group digits: ' ', no-break space, figure space, thin space, narrow no-break space. */
export function isDigitSpace(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 0x2007 || c === 0x2009 || c === 0x202f;
}

/**
 * The plain-word prefix tables (Detector.plainWordPrefixes) see a code unit as one of 28 symbols: an ASCII
 * letter, either case (0–25), '_' (26), anything else (27).
 */
export const PLAIN_SYMBOLS = 28;
export const PLAIN_OTHER = 27;
export const PLAIN_SYMBOL = new Uint8Array(128).fill(PLAIN_OTHER);
for (let c = 0; c < 26; c++) {
  PLAIN_SYMBOL[65 + c] = c;
  PLAIN_SYMBOL[97 + c] = c;
}
PLAIN_SYMBOL[95] = 26;

/** Index in a plain-word prefix table of the symbols x, y, z. */
export function plainPrefixIndex(x: number, y: number, z: number): number {
  return (x * PLAIN_SYMBOLS + y) * PLAIN_SYMBOLS + z;
}
