// PHONE_NUMBER: international ("+41 (0)96 471 07 95", "0044 …") and national numbers ("(602) 272-9781",
// "0490 75 40 81"), optionally with an extension ("x123", " ext. 12"). A candidate is a phone number when
// - it is international and libphonenumber-js finds it possible, or
// - it reads as one in its context: a phone word before it ("call me at", "Fax:", "messages to") or after
//   it ("… office", "…-Fax"); for privacy, a merely possible number in context counts, or
// - it is laid out as a North-American number ("(555) 123-4567") of a possible length, or is a grouped
//   national number with a trunk '0' ("020 7946 0958") that libphonenumber-js finds valid in a common region.
// Dates, version-like and reference numbers ("order", "invoice", "card" before them) are not phone numbers.
import { createRequire } from 'node:module';
import { parsePhoneNumberFromString as parseWithMetadata, type MetadataJson } from 'libphonenumber-js/core';
import { continuesNumber, isDigit, isDigitSpace, isWord } from '../chars';
import { NONE, PENDING, textBefore, type Detector, type TextBefore } from '../types';
import { followingWord, precedingWords } from './context';

let metadata: MetadataJson | undefined;
/**
 * The metadata `libphonenumber-js/max` bundles, read the first time a candidate needs it: 150 KB of JSON that
 * compiling a policy, or an answer without phone-like numbers, never needs, and that loading cost the
 * `filter` CLI's start-up more than the parser itself (issue 13). When it cannot be read, the detector
 * cannot decide: that is an error, never "not a phone number" (which would release the number unmasked).
 */
function phoneMetadata(): MetadataJson {
  if (metadata === undefined) {
    try {
      metadata = createRequire(import.meta.url)('libphonenumber-js/metadata.max.json') as MetadataJson;
    } catch (err) {
      throw new Error(
        `PHONE_NUMBER detector: cannot load libphonenumber-js/metadata.max.json (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); ` +
          'run `npm install` in the project, or run the built CLI from inside it',
      );
    }
  }
  return metadata;
}

/** Labels that, as the nearest telling word before a number, say "this is a phone number" ("Fax: …"). */
export const PHONE_LABELS = new Set([
  'phone', 'phones', 'telephone', 'tel', 'tele', 'mobile', 'mob', 'cell', 'cellphone', 'cellular', 'fax',
  'office', 'desk', 'landline', 'hotline', 'helpline', 'sms', 'whatsapp', 'voicemail', 'handy', 'telefon',
]);
/**
 * Verbs that say it too, but only right before the number ("call 030 …", "dial 0800 …") or with a
 * preposition between ("call me at …", "messages to …", "not answering at …"): in "message":"foo",
 * "time":1531914656077 the word "message" says nothing about the number.
 */
export const PHONE_VERBS = new Set([
  'call', 'calls', 'called', 'calling', 'phoned', 'dial', 'dialing', 'text', 'texts', 'texting', 'message',
  'messages', 'messaging', 'reach', 'reached', 'contact', 'answering', 'ring', 'fax', 'sms', 'whatsapp',
]);
const PREPOSITIONS = new Set(['at', 'on', 'to', 'via', 'under']);
/** Words that, right after a number, say "this is a phone number" ("416 60 039 office", "…-Fax"). */
export const PHONE_WORDS_AFTER = new Set([
  'office', 'fax', 'mobile', 'cell', 'home', 'work', 'phone', 'tel', 'landline', 'desk', 'direct', 'hotline',
  'whatsapp', 'voicemail', 'telephone',
]);
/** Words that, nearest before a number, say it is something else. */
export const NOT_PHONE_WORDS_BEFORE = new Set([
  'card', 'cards', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'cc', 'account', 'acct', 'iban', 'bic', 'swift',
  'routing', 'order', 'orders', 'invoice', 'receipt', 'ref', 'reference', 'tracking', 'ticket', 'id', 'ssn',
  'social', 'zip', 'postal', 'postcode', 'isbn', 'issn', 'serial', 'version', 'transaction', 'confirmation',
  'booking', 'reservation', 'policy', 'member', 'membership', 'passport', 'license', 'licence', 'pin', 'otp',
  'password', 'balance', 'amount', 'total', 'price', 'usd', 'eur', 'dollars', 'euros', 'year', 'years', 'date',
  'born', 'sku', 'part', 'model', 'batch', 'lot', 'invoice', 'case', 'claim', 'patent', 'vin', 'imei',
]);

const MAX_DIGITS = 15;
const MAX_RUN = 40;
const MAX_EXT = 6;

/** National numbers with separators that libphonenumber-js may confirm without any context. */
const NANP = /^(?:1[ .-])?(?:\(\d{3}\) ?\d{3}[-. ]\d{4}|\(\d{3}\)\d{3}-\d{4}|\d{3}([-. ])\d{3}\1\d{4})$/;
/** A date, alone or followed by an hour ("2015-12-22 04" before ":34:22"). */
const YMD = /^(\d{4})([-./])(\d{1,2})\2(\d{1,2})(?: \d{1,2})?$/;
const DMY = /^(\d{1,2})([-./])(\d{1,2})\2(\d{4}|\d{2})(?: \d{1,2})?$/;

interface Run {
  /** End of the number (after its last digit or ')'), before any extension. */
  end: number;
  /** End including the extension. */
  extEnd: number;
  digits: number;
}

export function createPhoneDetector(): Detector {
  return {
    type: 'PHONE_NUMBER',
    maxLookahead: MAX_RUN + 16 + 16,
    startsAt: (c) => c === 43 || c === 40 || (c >= 48 && c <= 57),
    normalize: (v) => v.replace(/x.*$|ext.*$/i, '').replace(/[^\d+]/g, ''),
    detect(s, i, atEnd, before) {
      const c0 = s.charCodeAt(i);
      if (i > 0) {
        const p = s.charCodeAt(i - 1);
        // Glued to a word or a path ("UCBrowser/13.8.2.1324"): part of an identifier, not a number on its own.
        if (isWord(p) || p === 43 || p === 47) return NONE;
        if (continuesNumber(s, i)) return NONE;
        // Not from the middle of a longer run of digit groups ("DE89 3704 0044 0532 …", "2024-0042").
        if ((p === 45 || isDigitSpace(p)) && i > 1 && isDigit(s.charCodeAt(i - 2))) return NONE;
      }
      const run = scanRun(s, i, atEnd);
      if (typeof run === 'number') return run;
      const { end, extEnd, digits } = run;
      if (digits < 7) return NONE;
      // Classified with plain spaces (libphonenumber-js and the shapes below know no no-break spaces).
      const main = s.slice(i, end).replace(/[\u00a0\u2007\u2009\u202f]/g, ' ');
      const intl = c0 === 43 || /^\(?0(?:0|11)/.test(main);
      // A date is no phone number whatever the words before it say: known before reading them.
      if (!intl && looksLikeDate(main)) return NONE;
      const ctx = leftContext(s, i, before);
      if (ctx === NOT_PHONE) return NONE;
      if (intl) {
        const formatted = c0 === 43 ? main : main.replace(/^(\(?)0(?:0|11)/, '$1+');
        if (digits >= 8 && possible(formatted)) return extEnd - i;
      } else {
        if (ctx !== PHONE && (NANP.test(main) ? possibleNanp(main) : validNational(main))) return extEnd - i;
      }
      // One ending for both kinds: a call or comparison first reached by a rare kind of candidate long after
      // this detector was optimized has no type feedback and deoptimizes it (issue 13).
      return ctx === PHONE ? extEnd - i : afterContext(s, extEnd, atEnd, i);
    },
  };
}

function afterContext(s: string, end: number, atEnd: boolean, i: number): number {
  const w = followingWord(s, end, atEnd, 12);
  if (w === null) return PENDING;
  return w !== undefined && PHONE_WORDS_AFTER.has(w) ? end - i : NONE;
}

const POSSESSIVES = new Set(['my', 'your', 'his', 'her', 'our', 'their']);

/** What the words before a number say (small integers: a comparison of strings deoptimized the detector, issue 13). */
const NO_CONTEXT = 0;
const PHONE = 1;
const NOT_PHONE = 2;
type LeftContext = typeof NO_CONTEXT | typeof PHONE | typeof NOT_PHONE;

/**
 * The nearest telling word before the number decides: a label among the three nearest words ("Phone:",
 * "my phone number is"), a verb right before it ("call 030 …") or with a preposition between ("call me at",
 * "messages to"), or a word that makes it something else ("order", "card number is"). "my number" reads
 * as a phone number. Farther words say nothing ("Rural Telephone Service Co., 499 U.S. 340 (1991)").
 */
function leftContext(s: string, i: number, before: TextBefore): LeftContext {
  const words = precedingWords(s, i, 6, before);
  let preposition = false;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    if (PHONE_VERBS.has(w) && ((k === 0 && adjacent(s, i, before)) || (preposition && k <= 4))) return PHONE;
    if (PHONE_LABELS.has(w) && k <= 2) return PHONE;
    if (NOT_PHONE_WORDS_BEFORE.has(w)) return NOT_PHONE;
    if ((w === 'number' || w === 'no' || w === 'nr') && POSSESSIVES.has(words[k + 1] ?? '')) return PHONE;
    if (PREPOSITIONS.has(w)) preposition = true;
  }
  return NO_CONTEXT;
}

/** Only a space or a colon between the word before and the number ("call 030 …", not "message ([7855319]"). */
function adjacent(s: string, i: number, before: TextBefore): boolean {
  return /[A-Za-z][ :\t]{1,2}$/.test(textBefore(s, i, 3, before).text);
}

function possible(e164: string): boolean {
  return memo(possibleMemo, e164, askPossible);
}
const askPossible = (e164: string, md: MetadataJson): boolean => parseWithMetadata(e164, md)?.isPossible() ?? false;

/** "(555) 123-4567", "555-123-4567": the North-American layout is telling enough once the length is possible. */
function possibleNanp(main: string): boolean {
  return memo(nanpMemo, main, askNanp);
}
const askNanp = (main: string, md: MetadataJson): boolean => parseWithMetadata(main, 'US', md)?.isPossible() ?? false;

const possibleMemo = new Map<string, boolean>();
const nanpMemo = new Map<string, boolean>();

/**
 * libphonenumber-js's answer for a candidate, memoised (bounded): a candidate that waits for its next word
 * is asked again on every token, and a parse costs more than the rest of the scan of that token.
 */
function memo(cache: Map<string, boolean>, key: string, ask: (key: string, md: MetadataJson) => boolean): boolean {
  let v = cache.get(key);
  if (v === undefined) {
    // Outside the try: libphonenumber-js throws on text it cannot parse (not a phone number), but a
    // detector without its metadata must fail loudly.
    const md = phoneMetadata();
    try {
      v = ask(key, md);
    } catch {
      v = false;
    }
    if (cache.size > 512) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/** Regions whose national numbers start with a trunk '0' ("020 7946 0958", "030 12345678"). */
const TRUNK_ZERO_REGIONS = ['GB', 'DE', 'FR', 'IT', 'NL', 'BE', 'CH', 'AT', 'AU', 'IE', 'IN', 'JP'] as const;
const nationalMemo = new Map<string, boolean>();

/** A grouped number with a trunk '0' that libphonenumber-js finds valid (not merely possible) in one of the common regions. */
function validNational(main: string): boolean {
  // Grouped like a phone number: a separator, and no one-digit groups ("0 1 2 3 4 5 6" is a list).
  if (main.charCodeAt(0) !== 48 || !/^\d{2,}(?:[ .\-/]\d{2,})+$/.test(main)) return false;
  return memo(nationalMemo, main, askNational);
}
const askNational = (main: string, md: MetadataJson): boolean =>
  TRUNK_ZERO_REGIONS.some((r) => {
    try {
      return parseWithMetadata(main, r, md)?.isValid() ?? false;
    } catch {
      return false;
    }
  });

function looksLikeDate(main: string): boolean {
  let m = YMD.exec(main);
  if (m) return Number(m[3]) >= 1 && Number(m[3]) <= 12 && Number(m[4]) >= 1 && Number(m[4]) <= 31;
  m = DMY.exec(main);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[3]);
  return (a >= 1 && a <= 31 && b >= 1 && b <= 12) || (a >= 1 && a <= 12 && b >= 1 && b <= 31);
}

function isSep(c: number): boolean {
  return c === 45 || c === 46 || c === 47 || isDigitSpace(c);
}

/**
 * The phone-shaped run at `i`: digit groups joined by single separators (space - . /) and parenthesised
 * groups, an optional leading '+', an optional extension. Returns NONE / PENDING or the run.
 */
function scanRun(s: string, i: number, atEnd: boolean): Run | number {
  const n = s.length;
  let k = i;
  if (s.charCodeAt(k) === 43) {
    k++;
    if (k >= n) return atEnd ? NONE : PENDING;
    if (!isDigit(s.charCodeAt(k))) return NONE;
  }
  let digits = 0;
  let lastEnd = -1;
  for (;;) {
    if (k - i > MAX_RUN) return NONE;
    if (k >= n) {
      if (!atEnd) return PENDING;
      break;
    }
    const c = s.charCodeAt(k);
    if (isDigit(c)) {
      while (k < n && isDigit(s.charCodeAt(k))) {
        k++;
        if (++digits > MAX_DIGITS) return NONE;
      }
      lastEnd = k;
      continue;
    }
    if (c === 40) {
      // "(0)", "(08)", "(602)": only at the start, or after a separator or a group.
      let m = k + 1;
      while (m < n && isDigit(s.charCodeAt(m)) && m - k <= 5) m++;
      if (m >= n) {
        if (!atEnd) return PENDING;
        break;
      }
      if (s.charCodeAt(m) !== 41 || m === k + 1 || m - k > 5) break;
      digits += m - k - 1;
      if (digits > MAX_DIGITS) return NONE;
      k = m + 1;
      lastEnd = k;
      continue;
    }
    if (lastEnd !== k || lastEnd === -1 || !isSep(c)) break;
    // After a group: a separator followed by more number (or else the number ends before it).
    if (k + 1 >= n) {
      if (!atEnd) return PENDING;
      break;
    }
    const next = s.charCodeAt(k + 1);
    if (isDigit(next) || next === 40) {
      k++;
      continue;
    }
    break;
  }
  if (lastEnd === -1) return NONE;
  // Extension: "x123", " x123", " ext 123", " ext. 123", " extension 123".
  let extEnd = lastEnd;
  if (digits >= 7) {
    const ext = scanExtension(s, lastEnd, atEnd);
    if (ext === PENDING) return PENDING;
    if (ext > 0) extEnd = ext;
  }
  if (extEnd >= n) {
    if (!atEnd) return PENDING;
  } else if (isWord(s.charCodeAt(extEnd))) return NONE;
  return { end: lastEnd, extEnd, digits };
}

const EXT_WORDS = ['extension', 'ext.', 'ext', 'x'];

/** End of an extension starting at `k`, 0 if there is none, or PENDING. */
function scanExtension(s: string, k: number, atEnd: boolean): number {
  const n = s.length;
  let m = k;
  if (m < n && s.charCodeAt(m) === 32) m++;
  if (m >= n) return atEnd ? 0 : PENDING;
  const rest = s.slice(m, m + 10).toLowerCase();
  let word = '';
  for (const w of EXT_WORDS) {
    if (rest.startsWith(w)) {
      word = w;
      break;
    }
    // The text ends inside what could still become an extension word.
    if (!atEnd && m + rest.length >= n && w.startsWith(rest)) return PENDING;
  }
  if (!word) return 0;
  m += word.length;
  if (m < n && s.charCodeAt(m) === 32 && word !== 'x') m++;
  const start = m;
  while (m < n && isDigit(s.charCodeAt(m)) && m - start <= MAX_EXT) m++;
  if (m >= n && !atEnd) return PENDING;
  const len = m - start;
  if (len === 0 || len > MAX_EXT) return 0;
  if (m < n && isWord(s.charCodeAt(m))) return 0;
  return m;
}
