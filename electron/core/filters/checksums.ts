// Check-digit algorithms the detectors validate with. Pure functions on already-extracted characters.

/** Luhn (ISO/IEC 7812-1) over the ASCII digits of `s`; other characters are skipped. */
export function luhnValid(s: string): boolean {
  let sum = 0;
  let double = false;
  let n = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let d = c - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
    n++;
  }
  return n > 1 && sum % 10 === 0;
}

/**
 * ISO 7064 MOD 97-10 over the letters and digits of `s` (A=10 … Z=35, case-insensitive), true when the
 * remainder is 1. With `rotate`, the first four characters move to the end first (the IBAN layout).
 */
export function mod97Valid(s: string, rotate: boolean): boolean {
  let chars = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) chars += s[i];
  }
  if (chars.length < 2) return false;
  if (rotate) {
    if (chars.length < 5) return false;
    chars = chars.slice(4) + chars.slice(0, 4);
  }
  let rem = 0;
  for (let i = 0; i < chars.length; i++) {
    let c = chars.charCodeAt(i);
    if (c >= 97) c -= 32;
    if (c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else rem = (rem * 100 + (c - 55)) % 97;
  }
  return rem === 1;
}
