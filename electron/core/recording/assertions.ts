// Optional per-cassette assertions in a sidecar file (`<cassette>.assert.json`), checked on each replayed
// turn in addition to the comparison with the recording. Validated with zod; a bad file names the path
// of the bad field (and a regex that does not compile names its pattern).
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CheckResult } from './checks';
import { answerText, countedUsage, type TurnRecord } from './turns';
import { jsonErrorPosition } from '../util/json-error';

const RegexSpec = z.union([
  z.string().min(1),
  z.strictObject({ pattern: z.string().min(1), flags: z.string().regex(/^[dgimsuvy]*$/, 'flags may only use d g i m s u v y').optional() }),
]);

export const TurnAssertions = z.strictObject({
  /** The answer must contain each of these strings. */
  contains: z.array(z.string()).optional(),
  /** The answer must contain none of these strings. */
  notContains: z.array(z.string()).optional(),
  /** The answer must match each of these regular expressions. */
  regex: z.array(RegexSpec).optional(),
  maxTtftMs: z.number().nonnegative().optional(),
  maxTotalTokens: z.number().int().nonnegative().optional(),
  /** The answer must hold no detection of these filter types (e.g. "CREDIT_CARD"), masked or not. */
  noPii: z.array(z.string().min(1)).optional(),
});
export type TurnAssertions = z.infer<typeof TurnAssertions>;

export const AssertionFile = z.strictObject({
  $schema: z.string().optional(),
  /** Checks for every turn. */
  all: TurnAssertions.optional(),
  /** Checks for one turn, keyed by its 1-based number in the dialog. */
  turns: z.record(z.string(), TurnAssertions).optional(),
}).superRefine((file, ctx) => {
  for (const key of Object.keys(file.turns ?? {})) {
    if (!/^[1-9]\d*$/.test(key)) ctx.addIssue({ code: 'custom', path: ['turns', key], message: `turn keys are 1-based turn numbers ("1", "2", …), got "${key}"` });
  }
});
export type AssertionFile = z.infer<typeof AssertionFile>;

export class AssertionFileError extends Error {
  override name = 'AssertionFileError';
}

function compileRegexes(file: AssertionFile, path: string): void {
  const groups: Array<[string, TurnAssertions | undefined]> = [['all', file.all], ...Object.entries(file.turns ?? {}).map(([k, v]) => [`turns.${k}`, v] as [string, TurnAssertions])];
  for (const [where, a] of groups) {
    (a?.regex ?? []).forEach((r, i) => {
      try {
        toRegExp(r);
      } catch (err) {
        throw new AssertionFileError(`${path}: ${where}.regex.${i}: invalid regular expression: ${(err as Error).message}`);
      }
    });
  }
}

function toRegExp(r: z.infer<typeof RegexSpec>): RegExp {
  return typeof r === 'string' ? new RegExp(r, 'u') : new RegExp(r.pattern, r.flags ?? 'u');
}

export function parseAssertionFile(json: unknown, path = 'assertions'): AssertionFile {
  const parsed = AssertionFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
    throw new AssertionFileError(`${path}: ${at}: ${issue?.message ?? 'invalid'}`);
  }
  compileRegexes(parsed.data, path);
  return parsed.data;
}

/** The sidecar path of a cassette, if one exists: `<file>.assert.json`, else `<file without .jsonl>.assert.json`. */
export function sidecarPath(cassettePath: string): string | undefined {
  const candidates = [`${cassettePath}.assert.json`, cassettePath.replace(/\.jsonl?$/i, '.assert.json')];
  return candidates.find((p) => p !== cassettePath && existsSync(p));
}

export function loadAssertions(cassettePath: string): { path: string; file: AssertionFile } | undefined {
  const path = sidecarPath(cassettePath);
  if (!path) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new AssertionFileError(`${path}: invalid JSON${jsonErrorPosition(err)}`);
  }
  return { path, file: parseAssertionFile(json, path) };
}

/** Checks for turn `index` (0-based): the `all` checks, then the turn's own. */
export function assertionsFor(file: AssertionFile | undefined, index: number): TurnAssertions[] {
  if (!file) return [];
  const own = file.turns?.[String(index + 1)];
  return [file.all, own].filter((a): a is TurnAssertions => a !== undefined);
}

export function evaluateAssertions(specs: TurnAssertions[], run: TurnRecord): CheckResult[] {
  const text = answerText(run);
  const results: CheckResult[] = [];
  for (const a of specs) {
    for (const s of a.contains ?? []) {
      results.push({ check: 'assert.contains', ok: text.includes(s), expected: `answer contains ${JSON.stringify(s)}`, got: text.includes(s) ? 'found' : 'not found' });
    }
    for (const s of a.notContains ?? []) {
      const at = text.indexOf(s);
      results.push({ check: 'assert.notContains', ok: at < 0, expected: `answer does not contain ${JSON.stringify(s)}`, got: at < 0 ? 'not found' : `found at ${at}` });
    }
    for (const r of a.regex ?? []) {
      const re = toRegExp(r);
      const ok = re.test(text);
      results.push({ check: 'assert.regex', ok, expected: `answer matches ${re}`, got: ok ? 'matches' : 'no match' });
    }
    if (a.maxTtftMs !== undefined) {
      const ok = run.ttftMs !== undefined && run.ttftMs <= a.maxTtftMs;
      results.push({ check: 'assert.maxTtftMs', ok, expected: `TTFT ≤ ${a.maxTtftMs} ms`, got: run.ttftMs === undefined ? 'no token arrived' : `${Math.round(run.ttftMs)} ms` });
    }
    if (a.maxTotalTokens !== undefined) {
      const total = countedUsage(run.usage)?.total;
      const ok = total !== undefined && total <= a.maxTotalTokens;
      results.push({ check: 'assert.maxTotalTokens', ok, expected: `total tokens ≤ ${a.maxTotalTokens}`, got: total === undefined ? 'no usage event' : String(total) });
    }
    for (const type of a.noPii ?? []) {
      const found = run.hits.filter((h) => h.type === type);
      results.push({
        check: 'assert.noPii',
        ok: found.length === 0,
        expected: `no ${type} in the answer`,
        got: found.length === 0 ? 'none' : `${found.length} × ${type} (${found.map((h) => `${h.action} at ${h.rawStart}–${h.rawEnd}`).join(', ')})`,
      });
    }
  }
  return results;
}
