// UTF-16 surrogate helpers for text tokens: a token may end with the high half of a pair whose low half
// starts the next token. Here: recognise halves, and replace the halves that are not part of a pair with
// U+FFFD while saying where they were. Never touches anything that is not a lone surrogate.

export const REPLACEMENT = '\uFFFD';

export const isHigh = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
export const isLow = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/** Any surrogate unit at all (the common answer is no). A loop beats the regex on token-sized strings. */
export function hasSurrogate(s: string): boolean {
  if (s.length > 16) return ANY_SURROGATE.test(s);
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xf800) === 0xd800) return true;
  return false;
}

/**
 * Replaces every lone surrogate of `s` with U+FFFD (same length: one unit for one unit) and calls
 * `onLone(index, unit)` for each. Linear; a string without surrogates is returned as is after one native scan.
 */
export function replaceLoneSurrogates(s: string, onLone: (index: number, unit: number) => void): string {
  if (!hasSurrogate(s)) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (isHigh(u)) {
      if (i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
        i++;
        continue;
      }
    } else if (!isLow(u)) {
      continue;
    }
    out += s.slice(from, i) + REPLACEMENT;
    from = i + 1;
    onLone(i, u);
  }
  return from === 0 ? s : out + s.slice(from);
}

export const hex = (unit: number): string => 'U+' + unit.toString(16).toUpperCase().padStart(4, '0');
