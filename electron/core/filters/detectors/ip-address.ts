// IP_ADDRESS: IPv4 with four valid octets (0–255, no leading zeros), and IPv6 in full, compressed ("::")
// and IPv4-embedded forms. Version strings ("version 1.2.3.4"), longer dotted numbers, times ("12:20:39")
// MAC addresses and package versions ("zlib@1.2.13.1-motley") are not addresses.
import { flags, HEX, isAsciiLetter, isDigit, isWord } from '../chars';
import { NONE, PENDING, type Detector } from '../types';
import { precedingWords } from './context';

const NOT_AN_ADDRESS_BEFORE = new Set(['version', 'ver', 'v', 'release', 'build', 'section', 'chapter', 'step', 'firmware', 'rule']);

export function createIpv4Detector(): Detector {
  return {
    type: 'IP_ADDRESS',
    maxLookahead: 17,
    plainRunNone: true,
    startsAt: (c) => c >= 48 && c <= 57,
    detect(s, i, atEnd, before) {
      if (i > 0) {
        const p = s.charCodeAt(i - 1);
        // "zlib@1.2.13.1": a version in a package spec.
        if (isWord(p) || p === 46 || p === 58 || p === 64) return NONE;
        // "section-8.1.2.2", "sec-15.5.4.20": numbering glued to a word.
        if ((p === 45 || p === 95) && i > 1 && isAsciiLetter(s.charCodeAt(i - 2))) return NONE;
      }
      const n = s.length;
      let k = i;
      for (let octet = 0; octet < 4; octet++) {
        if (octet > 0) {
          if (k >= n) return atEnd ? NONE : PENDING;
          if (s.charCodeAt(k) !== 46) return NONE;
          k++;
        }
        const start = k;
        while (k < n && isDigit(s.charCodeAt(k)) && k - start < 4) k++;
        if (k >= n && !atEnd && k - start < 3) return PENDING;
        const len = k - start;
        if (len === 0 || len > 3) return NONE;
        if (len > 1 && s.charCodeAt(start) === 48) return NONE;
        if (Number(s.slice(start, k)) > 255) return NONE;
      }
      // Not followed by more of a number ("1.2.3.4.5", "1.2.3.45x").
      if (k < n) {
        const c = s.charCodeAt(k);
        if (isWord(c)) return NONE;
        // A following ".digit" continues a dotted number, "-beta" makes it a version; ":8080" is a port.
        if (c === 46 || c === 45) {
          if (k + 1 >= n) {
            if (!atEnd) return PENDING;
          } else {
            const d = s.charCodeAt(k + 1);
            if (c === 46 ? isWord(d) : isAsciiLetter(d)) return NONE;
          }
        }
      } else if (!atEnd) return PENDING;
      for (const w of precedingWords(s, i, 1, before)) if (NOT_AN_ADDRESS_BEFORE.has(w)) return NONE;
      return k - i;
    },
  };
}

const MAX_V6 = 45;

export function createIpv6Detector(): Detector {
  return {
    type: 'IP_ADDRESS',
    maxLookahead: MAX_V6 + 2,
    plainWordNone: true,
    plainRunNone: true,
    startsAt: (c) => c === 58 || (flags(c) & HEX) !== 0,
    detect(s, i, atEnd) {
      if (i > 0) {
        const p = s.charCodeAt(i - 1);
        if (isWord(p) || p === 58 || p === 46) return NONE;
      }
      const n = s.length;
      // The run of hex digits, ':' and '.' (for an embedded IPv4); cheap exit for plain words.
      let k = i;
      let colons = 0;
      while (k < n) {
        const c = s.charCodeAt(k);
        const f = flags(c);
        if (c === 58) colons++;
        else if (!(f & HEX) && c !== 46) break;
        if (++k - i > MAX_V6 + 1) return NONE;
        if (colons === 0 && k - i > 4) return NONE;
      }
      if (k >= n && !atEnd) return PENDING;
      if (colons < 2) return NONE;
      if (k < n && isWord(s.charCodeAt(k))) return NONE;
      // Sentence punctuation after the address is not part of it.
      let end = k;
      while (end > i && s.charCodeAt(end - 1) === 46) end--;
      if (end - i >= 2 && s.charCodeAt(end - 1) === 58 && s.charCodeAt(end - 2) !== 58) end--;
      return validIpv6(s.slice(i, end)) ? end - i : NONE;
    },
  };
}

export function validIpv6(a: string): boolean {
  if (a.length < 2 || a.length > MAX_V6) return false;
  const dbl = a.indexOf('::');
  if (dbl !== -1 && a.indexOf('::', dbl + 1) !== -1) return false;
  let groups: string[];
  let head: string[];
  let tail: string[];
  if (dbl === -1) {
    head = parts(a);
    tail = [];
    groups = head;
  } else {
    head = parts(a.slice(0, dbl));
    tail = parts(a.slice(dbl + 2));
    groups = [...head, ...tail];
  }
  let count = 0;
  for (let g = 0; g < groups.length; g++) {
    const grp = groups[g]!;
    if (grp.includes('.')) {
      if (g !== groups.length - 1 || !validIpv4(grp)) return false;
      count += 2;
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(grp)) return false;
      count += 1;
    }
  }
  if (dbl === -1) return count === 8;
  if (count > 7) return false;
  // "a::b" is valid but so is plenty of prose-like code; require two groups, or the "::1" loopback form.
  return count >= 2 || (head.length === 0 && count === 1);
}

function parts(p: string): string[] {
  return p === '' ? [] : p.split(':');
}

function validIpv4(a: string): boolean {
  const o = a.split('.');
  if (o.length !== 4) return false;
  return o.every((x) => /^(?:0|[1-9]\d{0,2})$/.test(x) && Number(x) <= 255);
}

