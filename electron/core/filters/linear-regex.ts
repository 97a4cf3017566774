// The one place a user's regular expression (a policy's custom detector or allow pattern) is compiled: on
// re2js, a linear-time engine, because these patterns run on the model's own output and a backtracking
// engine can be made to spin for hours by a 41-character answer (issue 11 §1). Patterns are written in
// JavaScript syntax and translated; what RE2 cannot run in linear time (lookahead, back-references) is
// refused here with a reason that never quotes the pattern (it may hold allow-listed values).
// Semantics (README "Safety filters"): RE2's — leftmost-first like JavaScript, matching by code point,
// `\d \w \s \b` ASCII-only, captureless lookbehind allowed.
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { nonLinearFeature, RegexSyntaxError } from './regex-prefix';

export class LinearRegexError extends Error {
  override name = 'LinearRegexError';
}

export type LinearRegex = RE2JS;

let engine: typeof RE2JS | undefined;
/**
 * re2js, loaded the first time a policy brings a pattern of its own: the default policy never needs it, so
 * neither the app's first turn nor the `filter` CLI's start-up pays for loading it (issue 13).
 */
function re2(): typeof RE2JS {
  engine ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS;
  return engine;
}

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
  const RE2 = re2();
  const flagBits: Record<string, number> = { i: RE2.CASE_INSENSITIVE, m: RE2.MULTILINE, s: RE2.DOTALL, u: 0 };
  let bits = RE2.LOOKBEHINDS;
  for (const f of flags) bits |= flagBits[f] ?? 0;
  try {
    return RE2.compile(RE2.translateRegExp(pattern), bits);
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
