// EMAIL_ADDRESS: local@domain.tld with a dotted domain and an alphabetic TLD of two or more letters.
// Sentence punctuation after the address ("… a.b@c.com.") is not part of it; a trailing word is held while
// it could still be the local part of an address.
import { flags, LABEL, LOCAL, ALPHA, isWord } from '../chars';
import { NONE, PENDING, type Detector } from '../types';

const MAX_LOCAL = 64;
const LOCAL_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) LOCAL_ASCII[c] = flags(c) & LOCAL ? 1 : 0;
const MAX_DOMAIN = 253;

export function createEmailDetector(): Detector {
  return {
    type: 'EMAIL_ADDRESS',
    maxLookahead: MAX_LOCAL + MAX_DOMAIN + 2,
    plainWordNone: true,
    plainRunNone: true,
    // PENDING only when the local part runs to the end of the text (and is not too long yet).
    pendingRun: { units: LOCAL_ASCII, max: MAX_LOCAL },
    startsAt: (c) => (flags(c) & LOCAL) !== 0 && isWord(c) && c !== 95,
    normalize: (v) => v.toLowerCase(),
    detect(s, i, atEnd) {
      if (i > 0 && (flags(s.charCodeAt(i - 1)) & LOCAL) !== 0) return NONE;
      const n = s.length;
      let k = i;
      for (;;) {
        if (k >= n) break;
        const c = s.charCodeAt(k);
        if (c < 128 ? LOCAL_ASCII[c] === 0 : (flags(c) & LOCAL) === 0) break;
        if (++k - i > MAX_LOCAL) return NONE;
      }
      if (k >= n) return atEnd ? NONE : PENDING;
      if (s.charCodeAt(k) !== 64) return NONE;
      if (s.charCodeAt(k - 1) === 46) return NONE;
      const at = k++;
      // Domain: labels and dots, as far as they go.
      while (k < n) {
        const c = s.charCodeAt(k);
        if (c !== 46 && (flags(c) & LABEL) === 0) break;
        if (++k - at > MAX_DOMAIN + 1) return NONE;
      }
      if (k >= n && !atEnd) return PENDING;
      if (k < n) {
        const t = s.charCodeAt(k);
        if (t === 64 || t === 95) return NONE;
      }
      let end = k;
      while (end > at + 1 && s.charCodeAt(end - 1) === 46) end--;
      return validDomain(s, at + 1, end) ? end - i : NONE;
    },
  };
}

function validDomain(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  const labels = s.slice(from, to).split('.');
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (!l || l.length > 63 || l.startsWith('-') || l.endsWith('-')) return false;
  }
  const tld = labels[labels.length - 1]!;
  if (tld.length < 2) return false;
  if (tld.startsWith('xn--')) return true;
  for (let k = 0; k < tld.length; k++) {
    const c = tld.charCodeAt(k);
    if (c < 128 ? (flags(c) & ALPHA) === 0 : (flags(c) & LABEL) === 0) return false;
  }
  return true;
}
