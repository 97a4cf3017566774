// A policy's own detector: a regular expression with a declared maximum length and an optional validator
// (Luhn, mod-97, dictionary).
//
// Whole-text semantics, which streaming reproduces exactly: at a scan position i the pattern is executed
// (sticky) on the raw text from i - 32 (for lookbehind and \b) to i + maxLength + 1; a match of 1..maxLength
// units that passes the validator is a detection. While the text after i is shorter than that window, the
// detector waits only if the text so far could still be read by a match (see regex-prefix.ts); otherwise
// the match on the shorter window is already the final answer. Both the match and the "could it still
// match" test run on the linear-time engine (linear-regex.ts): the pattern is the user's, the text the model's.
import type { CustomDetector } from '../../../../shared/policy';
import { isHigh } from '../../reassembly/surrogates';
import { luhnValid, mod97Valid } from '../checksums';
import { compileLinear, matchAt } from '../linear-regex';
import { prefixSource } from '../regex-prefix';
import { NONE, PENDING, textBefore, type Detector } from '../types';

const LOOKBEHIND = 32;

export function createCustomDetector(def: CustomDetector): Detector {
  const flags = def.flags ?? '';
  const re = compileLinear(def.pattern, flags);
  // Parsed as code points (unicode mode) whatever the flags: the engine reads code points, so a surrogate
  // pair is one atom of the prefix, never two halves.
  const viable = compileLinear(`^(?:${prefixSource(def.pattern, true)})$`, flags.replace(/m/g, ''));
  const maxLength = def.maxLength;
  const validate = validator(def);

  // Where a match can start, per BMP code unit (surrogate halves: always), asked lazily: one engine call
  // per distinct unit the text actually holds, not 65,536 at load. 0 = not asked yet, 1 = yes, 2 = no.
  const starts = new Uint8Array(65536);
  const startsAt = (c: number): boolean => {
    let v = starts[c]!;
    if (v === 0) {
      v = (c >= 0xd800 && c <= 0xdfff) || viable.testExact(String.fromCharCode(c)) ? 1 : 2;
      starts[c] = v;
    }
    return v === 1;
  };

  return {
    type: def.name,
    maxLookahead: maxLength + 1,
    startsAt,
    detect(s, i, atEnd, before) {
      const n = s.length;
      const windowEnd = i + maxLength + 1;
      let to = Math.min(n, windowEnd);
      if (n < windowEnd && !atEnd) {
        // The engine matches code points: half a pair at the end is no character yet, so whether a match
        // could read on is asked of the text before it. When no match can read that far, it cannot read
        // the half pair either, and the answer is final now, as it was before the half came (types.ts).
        const known = isHigh(s.charCodeAt(n - 1)) ? n - 1 : n;
        if (viable.testExact(s.slice(i, known))) return PENDING;
        to = n;
      }
      const back = textBefore(s, i, LOOKBEHIND, before).text;
      const len = matchAt(re, back + s.slice(i, to), back.length);
      if (len < 1 || len > maxLength) return NONE;
      return validate(s.slice(i, i + len)) ? len : NONE;
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
