// The one place a user's regular expression (a policy's custom detector or allow pattern) is compiled: on
// re2js, a linear-time engine, because these patterns run on the model's own output and a backtracking
// engine can be made to spin for hours by a 41-character answer (issue 11 §1). Patterns are written in
// JavaScript syntax and translated; what RE2 cannot run in linear time (lookahead, back-references) is
// refused here with a reason that never quotes the pattern (it may hold allow-listed values).
// Semantics (README "Safety filters"): RE2's — leftmost-first like JavaScript, matching by code point,
// `\d \w \s \b` ASCII-only, captureless lookbehind allowed.
import { RE2JS } from 're2js';
import { nonLinearFeature, RegexSyntaxError } from './regex-prefix';

export class LinearRegexError extends Error {
  override name = 'LinearRegexError';
}

export type LinearRegex = RE2JS;

const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

/** Compiles a JavaScript-syntax pattern with JavaScript flags (i, m, s, u) on the linear-time engine. */
export function compileLinear(pattern: string, flags = ''): LinearRegex {
  let feature: ReturnType<typeof nonLinearFeature>;
  try {
    feature = nonLinearFeature(pattern, true);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw new LinearRegexError(`unsupported regular expression: ${err.message}`);
    throw err;
  }
  if (feature === 'lookahead') throw new LinearRegexError('lookahead ((?= or (?!) is not supported: user patterns run on a linear-time engine (RE2)');
  if (feature === 'back-reference') throw new LinearRegexError('back-references (\\1, \\k<name>) are not supported: user patterns run on a linear-time engine (RE2)');
  let bits = RE2JS.LOOKBEHINDS;
  for (const f of flags) bits |= FLAG_BITS[f] ?? 0;
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch (err) {
    throw new LinearRegexError(`not supported by the linear-time engine (RE2): ${re2Reason(err)}`);
  }
}

/** RE2's reason without the fragment of the pattern it quotes between backticks. */
function re2Reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^error parsing regexp: /, '').replace(/:\s*`[\s\S]*`\s*$/, '');
}

/**
 * The match of `re` that starts exactly at `at` in `text` (its length), or -1. The text before `at` is
 * context for `\b` and lookbehind. RE2 anchors only at the start of the input, so this searches from `at`
 * and keeps a match only if it starts there: the leftmost match from `at`, when one starts at `at`, is the
 * one an anchored search would find (leftmost-first). `text` is a bounded window, so this stays linear.
 */
export function matchAt(re: LinearRegex, text: string, at: number): number {
  const m = re.matcher(text);
  if (!m.find(at) || m.start() !== at) return -1;
  return m.end() - at;
}
