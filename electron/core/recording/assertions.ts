// Evaluates the assertion format (shared/assertions.ts) on a turn: one evaluator per kind, in one registry
// typed by the kind, so a new kind does not compile until it can be checked. Replay (CLI and app), record
// and compare all call these; nothing else decides whether an assertion holds. An assertion that cannot be
// judged on this turn (raw text of a redacted recording, no Webchat preview) fails and says why: it never
// passes for lack of evidence.
import { existsSync, readFileSync } from 'node:fs';
import {
  AssertionFile,
  checkAssertionFile,
  formatAssertionIssues,
  regexOf,
  type Assertion,
  type AssertionKind,
  type AssertionOf,
  type TextTarget,
} from '../../../shared/assertions';
import { DEFAULT_STALL_THRESHOLD_MS, timingOf } from '../../../shared/turn-timing';
import type { CheckResult } from './checks';
import { similarity } from './text-diff';
import { answerText, countedUsage, type TurnRecord } from './turns';
import type { ScriptTurn } from '../../../shared/dialog-script';
import { writeFileAtomic } from '../util/atomic-file';
import { jsonErrorPosition } from '../util/json-error';

export class AssertionFileError extends Error {
  override name = 'AssertionFileError';
}

export interface AssertionContext {
  /** The turn being judged (the replayed one, in a replay). */
  turn: TurnRecord;
  /** What `similarity` without `to` compares with: the recorded turn in a replay. */
  baseline?: TurnRecord;
}

/** An assertion and where it sits in its document (`all[0]`, `turns[1].assert[2]`), for the report. */
export interface LocatedAssertion {
  assertion: Assertion;
  at: string;
}

type Verdict = Omit<CheckResult, 'check' | 'at'>;
type Evaluator<K extends AssertionKind> = (a: AssertionOf<K>, ctx: AssertionContext) => Verdict;

const q = (s: string) => JSON.stringify(s);
const fmtMs = (v: number) => `${Math.round(v)} ms`;

function textOf(t: TurnRecord, on: TextTarget | undefined): { text: string; which: string } | { missing: string } {
  if (on === 'raw') return t.rawText === null ? { missing: 'no raw text (the recording is redacted)' } : { text: t.rawText, which: 'raw answer' };
  return { text: answerText(t), which: t.filteredText !== null ? 'filtered answer' : 'answer' };
}

function containsVerdict(a: AssertionOf<'contains' | 'notContains'>, ctx: AssertionContext, want: boolean): Verdict {
  const t = textOf(ctx.turn, a.on);
  const expected = `${'which' in t ? t.which : 'answer'} ${want ? 'contains' : 'does not contain'} ${q(a.text)}${a.ignoreCase ? ' (ignoring case)' : ''}`;
  if ('missing' in t) return { ok: false, expected, got: t.missing };
  const at = a.ignoreCase ? t.text.toLowerCase().indexOf(a.text.toLowerCase()) : t.text.indexOf(a.text);
  return { ok: (at >= 0) === want, expected, got: at < 0 ? 'not found' : `found at ${at}` };
}

function rangeText(r: { min?: number | undefined; max?: number | undefined }, unit = ''): string {
  if (r.min !== undefined && r.max !== undefined) return r.min === r.max ? `exactly ${r.min}${unit}` : `${r.min}–${r.max}${unit}`;
  return r.min !== undefined ? `≥ ${r.min}${unit}` : `≤ ${r.max}${unit}`;
}

function inRange(v: number, r: { min?: number | undefined; max?: number | undefined }): boolean {
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);
}

function timing(t: TurnRecord) {
  return timingOf(
    { at: t.tokens.map((k) => k.at), ...(t.durationMs !== undefined ? { end: { durationMs: t.durationMs, ...(t.ttftMs !== undefined ? { ttftMs: t.ttftMs } : {}), ...(t.cause ? { cause: t.cause as never } : {}) } } : {}) },
    DEFAULT_STALL_THRESHOLD_MS,
  );
}

/** Streamed messages of a turn: its distinct `_messageId`s; a gateway answer (no ids) is one message. */
export function messageCount(t: TurnRecord): number {
  const ids = new Set(t.tokens.map((k) => k.messageId).filter((x): x is string => x !== undefined));
  if (ids.size) return ids.size;
  return t.tokens.length ? 1 : 0;
}

const EVALUATORS: { [K in AssertionKind]: Evaluator<K> } = {
  contains: (a, ctx) => containsVerdict(a, ctx, true),
  notContains: (a, ctx) => containsVerdict(a, ctx, false),
  regex: (a, ctx) => {
    const re = regexOf(a);
    const t = textOf(ctx.turn, a.on);
    const expected = `${'which' in t ? t.which : 'answer'} matches ${String(re)}`;
    if ('missing' in t) return { ok: false, expected, got: t.missing };
    const ok = re.test(t.text);
    return { ok, expected, got: ok ? 'matches' : 'no match' };
  },
  similarity: (a, ctx) => {
    const t = textOf(ctx.turn, a.on);
    const base = a.to !== undefined ? { text: a.to, which: 'the given text' } : ctx.baseline ? textOf(ctx.baseline, a.on) : { missing: 'no recording to compare with' };
    const expected = `${'which' in t ? t.which : 'answer'} similar to ${a.to !== undefined ? 'the given text' : 'the recording'} (≥ ${a.min})`;
    if ('missing' in t) return { ok: false, expected, got: t.missing };
    if ('missing' in base) return { ok: false, expected, got: base.missing };
    const s = similarity(base.text, t.text);
    return { ok: s >= a.min, expected, got: `similarity ${s.toFixed(3)}` };
  },
  noHit: (a, ctx) => {
    const found = ctx.turn.hits.filter((h) => h.type === a.type && (!a.actions || a.actions.includes(h.action)));
    return {
      ok: found.length === 0,
      expected: `no ${a.type} in the answer${a.actions ? ` handled as ${a.actions.join(' or ')}` : ''}`,
      got: found.length === 0 ? 'none' : `${found.length} × ${a.type} (${found.map((h) => `${h.action} at ${h.rawStart}–${h.rawEnd}`).join(', ')})`,
    };
  },
  noLeak: (_a, ctx) => ({
    ok: ctx.turn.leaks.length === 0,
    expected: 'no filter.leak event',
    got: ctx.turn.leaks.length === 0 ? 'none' : `${ctx.turn.leaks.length} leak event(s), first at filtered offset ${ctx.turn.leaks[0]?.position}`,
  }),
  noWebchatWarning: (a, ctx) => {
    const expected = `no Webchat warning${a.warning ? ` ${a.warning}` : ''}`;
    const w = ctx.turn.webchat;
    if (!w) return { ok: false, expected, got: 'no Webchat preview ran for this turn (record or replay with --webchat)' };
    const bad = w.warnings.filter((x) => !a.warning || x.kind === a.warning);
    return { ok: bad.length === 0, expected, got: bad.length === 0 ? 'none' : bad.map((x) => `${x.kind}: ${x.detail}`).join(' | ') };
  },
  ttft: (a, ctx) => {
    const v = ctx.turn.ttftMs;
    return { ok: v !== undefined && v <= a.max, expected: `TTFT ≤ ${a.max} ms`, got: v === undefined ? 'no token arrived' : fmtMs(v) };
  },
  maxGap: (a, ctx) => {
    const tm = timing(ctx.turn);
    const v = tm.max;
    const expected = `longest inter-token gap ≤ ${a.max} ms`;
    if (v === undefined) return { ok: ctx.turn.tokens.length > 0, expected, got: ctx.turn.tokens.length ? 'one token, no gap' : 'no token arrived' };
    return { ok: v <= a.max, expected, got: `${fmtMs(v)}${tm.stalls.some((s) => s.final) ? ' (the silence that ended in the timeout)' : ''}` };
  },
  tokensPerSecond: (a, ctx) => {
    const v = timing(ctx.turn).tokensPerSec;
    return { ok: v !== undefined && v >= a.min, expected: `≥ ${a.min} tokens/s`, got: v === undefined ? 'no token arrived' : `${v.toFixed(1)} tokens/s` };
  },
  messages: (a, ctx) => {
    const n = messageCount(ctx.turn);
    return { ok: inRange(n, a), expected: `${rangeText(a)} streamed message(s)`, got: String(n) };
  },
  chunks: (a, ctx) => {
    const n = ctx.turn.tokens.length;
    return { ok: inRange(n, a), expected: `${rangeText(a)} chunk(s)`, got: String(n) };
  },
  structured: (a, ctx) => {
    const what = `${a.type ?? 'structured'} output${a.summary ? ` with ${q(a.summary)} in its summary` : ''}`;
    const found = ctx.turn.structured.filter((s) => (!a.type || s.kind === a.type) && (!a.summary || s.summary.toLowerCase().includes(a.summary.toLowerCase())));
    const got = found.length ? `${found.length}: ${found.map((s) => s.summary).join(' | ')}` : ctx.turn.structured.length ? `none of that (only ${ctx.turn.structured.map((s) => s.summary).join(' | ')})` : 'none';
    return { ok: a.present ? found.length > 0 : found.length === 0, expected: `${a.present ? 'a' : 'no'} ${what}`, got };
  },
  status: (a, ctx) => {
    const want = a.is === undefined ? ['complete'] : Array.isArray(a.is) ? a.is : [a.is];
    const got = `${ctx.turn.status}${ctx.turn.cause ? ` (${ctx.turn.cause})` : ''}`;
    return { ok: want.includes(ctx.turn.status), expected: `turn ${want.join(' or ')}`, got };
  },
  synced: (_a, ctx) => {
    const s = ctx.turn.syncs;
    const bad = s.filter((x) => x.state !== 'synced');
    return {
      ok: s.length > 0 && bad.length === 0,
      expected: 'sync succeeded',
      got: s.length === 0 ? 'no sync happened' : bad.length === 0 ? 'synced' : bad.map((x) => `${x.target} ${x.state}${x.cause ? ` (${x.cause})` : ''}`).join(', '),
    };
  },
  usage: (a, ctx) => {
    const source = a.source ?? 'counted';
    const part = a.part ?? 'total';
    const u = ctx.turn.usage;
    const figures = source === 'counted' ? countedUsage(u) : u?.[source];
    const expected = `${part} tokens (${source}) ${rangeText(a)}`;
    if (!figures) return { ok: false, expected, got: u ? `no ${source} usage` : 'no usage event' };
    const v = figures[part];
    return { ok: inRange(v, a), expected, got: `${v}${source === 'counted' && u ? ` (${u.source})` : ''}` };
  },
};

export function evaluateAssertion(a: Assertion, ctx: AssertionContext): Verdict {
  return (EVALUATORS[a.kind] as Evaluator<AssertionKind>)(a, ctx);
}

export function evaluateAssertions(list: readonly LocatedAssertion[], ctx: AssertionContext): CheckResult[] {
  return list.map(({ assertion, at }) => ({ check: `assert.${assertion.kind}`, at, ...evaluateAssertion(assertion, ctx) }));
}

/** A parsed document as an AssertionFile, or an AssertionFileError naming the file and every bad path. */
export function parseAssertionFile(json: unknown, path = 'assertions'): AssertionFile {
  const r = checkAssertionFile(json);
  if (!r.ok) throw new AssertionFileError(`${path}: ${formatAssertionIssues(r.errors)}`);
  return r.file;
}

/** Where a new sidecar of a cassette goes: `x.jsonl` → `x.assert.json` (an existing one is kept where it is). */
export function sidecarPathFor(cassettePath: string): string {
  return sidecarPath(cassettePath) ?? (/\.jsonl?$/i.test(cassettePath) ? cassettePath.replace(/\.jsonl?$/i, '.assert.json') : `${cassettePath}.assert.json`);
}

/** The sidecar of a dialog script's assertions (one entry per turn, with its input), or undefined when it has none. */
export function sidecarFromScript(turns: ReadonlyArray<Pick<ScriptTurn, 'input' | 'assert'>>): AssertionFile | undefined {
  if (!turns.some((t) => t.assert?.length)) return undefined;
  return { turns: turns.map((t) => ({ input: t.input, ...(t.assert?.length ? { assert: t.assert } : {}) })) };
}

/** Writes a cassette's sidecar atomically (validated first: a file replay would refuse is never written). */
export async function writeSidecar(cassettePath: string, file: AssertionFile, o: { overwrite?: boolean } = {}): Promise<string> {
  const path = sidecarPathFor(cassettePath);
  const doc = parseAssertionFile(file, path);
  await writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`, { exclusive: !o.overwrite });
  return path;
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
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AssertionFileError(`${path}: invalid JSON${jsonErrorPosition(err)}`);
  }
  return { path, file: parseAssertionFile(json, path) };
}

/**
 * A sidecar that does not fit its cassette is refused rather than half applied: an entry for a turn the
 * cassette does not have, or an entry naming an input the turn was not recorded with.
 */
export function checkSidecarFits(file: AssertionFile, turns: ReadonlyArray<Pick<TurnRecord, 'input' | 'inputRedacted'>>, path = 'assertions'): void {
  const entries = file.turns ?? [];
  const problems: string[] = [];
  if (entries.length > turns.length) problems.push(`turns[${turns.length}]: the cassette has ${turns.length} turn${turns.length === 1 ? '' : 's'}, the sidecar ${entries.length} entries`);
  entries.forEach((e, i) => {
    const t = turns[i];
    if (t && e.input !== undefined && !t.inputRedacted && e.input !== t.input) problems.push(`turns[${i}].input: this entry is for another input than turn ${i + 1} of the cassette`);
  });
  if (problems.length) throw new AssertionFileError(`${path}: ${problems.join('; ')}`);
}

/** The assertions for turn `index` (0-based): the `all` ones, then the turn's own. */
export function assertionsFor(file: AssertionFile | undefined, index: number): LocatedAssertion[] {
  if (!file) return [];
  const all = (file.all ?? []).map((assertion, i) => ({ assertion, at: `all[${i}]` }));
  const own = (file.turns?.[index]?.assert ?? []).map((assertion, i) => ({ assertion, at: `turns[${index}].assert[${i}]` }));
  return [...all, ...own];
}
