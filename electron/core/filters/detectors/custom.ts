// A policy's own detector: a regular expression with a declared maximum length and an optional validator
// (Luhn, mod-97, dictionary).
//
// Whole-text semantics, which streaming reproduces exactly: at a scan position i the pattern is executed
// (sticky) on the raw text from i - 32 (for lookbehind and \b) to i + maxLength + 1; a match of 1..maxLength
// units that passes the validator is a detection. While the text after i is shorter than that window, the
// detector waits only if the text so far could still be read by a match (see regex-prefix.ts); otherwise
// the match on the shorter window is already the final answer.
import type { CustomDetector } from '../../../../shared/policy';
import { luhnValid, mod97Valid } from '../checksums';
import { prefixSource } from '../regex-prefix';
import { NONE, PENDING, textBefore, type Detector } from '../types';

const LOOKBEHIND = 32;

export function createCustomDetector(def: CustomDetector): Detector {
  const flags = (def.flags ?? '').replace(/m/g, '');
  const sticky = new RegExp(def.pattern, `${def.flags ?? ''}y`);
  const viable = new RegExp(`^(?:${prefixSource(def.pattern, flags.includes('u'))})$`, flags);
  const maxLength = def.maxLength;
  const validate = validator(def);

  // Where a match can start: every BMP code unit a match could begin with (surrogate halves: always).
  const starts = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    starts[c] = (c >= 0xd800 && c <= 0xdfff) || viable.test(String.fromCharCode(c)) ? 1 : 0;
  }

  return {
    type: def.name,
    maxLookahead: maxLength + 1,
    startsAt: (c) => starts[c] === 1,
    detect(s, i, atEnd, before) {
      const n = s.length;
      const windowEnd = i + maxLength + 1;
      let to = Math.min(n, windowEnd);
      if (n < windowEnd && !atEnd) {
        if (viable.test(s.slice(i, n))) return PENDING;
        to = n;
      }
      const back = textBefore(s, i, LOOKBEHIND, before).text;
      const w = back + s.slice(i, to);
      sticky.lastIndex = back.length;
      const m = sticky.exec(w);
      if (!m) return NONE;
      const len = m[0].length;
      if (len < 1 || len > maxLength) return NONE;
      return validate(m[0]) ? len : NONE;
    },
  };
}

function validator(def: CustomDetector): (value: string) => boolean {
  const v = def.validator;
  if (!v) return () => true;
  if (v === 'luhn') return (value) => /\d/.test(value) && luhnValid(value);
  if (v === 'mod97') return (value) => mod97Valid(value, /^[A-Za-z]{2}\d{2}/.test(value));
  const caseless = (def.flags ?? '').includes('i');
  const words = new Set(v.dictionary.map((w) => (caseless ? w.toLowerCase() : w)));
  return (value) => words.has(caseless ? value.toLowerCase() : value);
}
