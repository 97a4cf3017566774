// Compare two environments (staging and production, two models) or one environment under two filter
// policies: each user input goes to both sides at once, both answers stream live (progress events per
// side), and every turn ends with the structured diff of the two answers — text, hits, status, timing,
// usage — and a verdict: the answers differ "beyond the similarity" when their texts are less alike than
// asked, one side did not end as the other, or either leaked. Sessions are injected (the CLI and the app
// open them), so this file never knows about credentials. A dialog keeps one session per side.
import type { SessionEvent } from '../../../shared/events';
import type { WebchatMode } from '../../../shared/webchat';
import { evaluateAssertions } from './assertions';
import type { CheckResult } from './checks';
import { diffTurns, type TurnDiff } from './cassette-diff';
import type { ScriptTurn } from '../../../shared/dialog-script';
import { textDiff } from './text-diff';
import { answerText, summarizeTurns, type TurnRecord } from './turns';

export type CompareSideName = 'a' | 'b';

export interface CompareTurnRequest {
  input: string;
  scenario?: string;
  signal: AbortSignal;
  webchat?: WebchatMode;
  /** Every event of the turn as it comes (the app streams them into its two lanes). */
  onEvent?: (e: SessionEvent) => void;
}

export interface CompareSession {
  /** Runs one turn and resolves with all its events, sync outcome included. */
  runTurn(req: CompareTurnRequest): Promise<SessionEvent[]>;
  close(): Promise<void>;
}

export interface CompareSide {
  /** What the reports call this side: the environment's name, or `demo (policy strict.json)`. */
  label: string;
  open(): Promise<CompareSession>;
  /** This side plays every turn on this simulator scenario (e.g. the demo against its `pii` twin). */
  scenario?: string;
}

export interface CompareEnvironmentsOptions {
  a: CompareSide;
  b: CompareSide;
  /** The dialog: one input is a one-turn script. */
  turns: ScriptTurn[];
  /** Simulator scenario for turns that name none (demo). */
  scenario?: string;
  /** Minimum similarity of the two answers (filtered text); 1 (default) = equal. */
  similarity?: number;
  webchat?: WebchatMode;
  signal?: AbortSignal;
  onProgress?: (e: CompareProgress) => void;
  /** Monotonic clock (tests). */
  now?: () => number;
}

export type CompareProgress =
  | { type: 'turn.start'; index: number; count: number; input: string; scenario?: string }
  | { type: 'event'; index: number; side: CompareSideName; event: SessionEvent }
  | { type: 'turn.end'; index: number; count: number; result: CompareTurnResult };

export interface CompareTurnResult {
  index: number;
  input: string;
  scenario?: string;
  a?: TurnRecord;
  b?: TurnRecord;
  /** A side whose turn could not run at all (session error, interrupted). */
  errors: Partial<Record<CompareSideName, string>>;
  /** The structured diff (the same one `diff` shows for two cassettes; its patches name the sides A and B). */
  diff: TurnDiff;
  /** Similarity of the two answers (filtered text where a filter ran). */
  similarity: number;
  /** The verdict's checks: text, status, leak, and the script turn's assertions on each side. */
  checks: CheckResult[];
  ok: boolean;
  timeMs: number;
}

export interface CompareReport {
  ok: boolean;
  a: { label: string };
  b: { label: string };
  similarity: number;
  turns: CompareTurnResult[];
  /** Turns of the dialog that did not run (interrupted). */
  notRun: number;
  startedAt: string;
  timeMs: number;
}

/** The verdict of one turn pair. Pure: the app can re-judge with another similarity without re-running. */
export function judgeTurnPair(a: TurnRecord | undefined, b: TurnRecord | undefined, labels: { a: string; b: string }, minSimilarity = 1): { similarity: number; checks: CheckResult[] } {
  const ta = a ? answerText(a) : '';
  const tb = b ? answerText(b) : '';
  const d = textDiff(ta, tb, { a: 'A', b: 'B' });
  const checks: CheckResult[] = [];
  checks.push({
    check: 'text',
    ok: Boolean(a && b) && (d.same || (minSimilarity < 1 && d.similarity >= minSimilarity)),
    expected: minSimilarity < 1 ? `answers similar (≥ ${minSimilarity})` : 'answers equal',
    got: !a || !b ? `no answer from ${!a ? labels.a : labels.b}` : d.same ? 'equal' : `different (similarity ${d.similarity.toFixed(3)}, ${ta.length} → ${tb.length} chars)`,
    ...(d.same || !a || !b ? {} : { diff: d.patch }),
  });
  if (a && b) {
    checks.push({
      check: 'status',
      ok: a.status === b.status,
      expected: `both turns end alike`,
      got: a.status === b.status ? a.status : `${labels.a}: ${a.status}${a.cause ? ` (${a.cause})` : ''}, ${labels.b}: ${b.status}${b.cause ? ` (${b.cause})` : ''}`,
    });
    checks.push({
      check: 'leak',
      ok: a.leaks.length === 0 && b.leaks.length === 0,
      expected: 'no filter.leak event on either side',
      got: a.leaks.length + b.leaks.length === 0 ? 'none' : `${labels.a}: ${a.leaks.length}, ${labels.b}: ${b.leaks.length}`,
    });
  }
  return { similarity: d.similarity, checks };
}

export async function compareEnvironments(o: CompareEnvironmentsOptions): Promise<CompareReport> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const startedAt = new Date().toISOString();
  const labels = { a: o.a.label, b: o.b.label };
  const minSimilarity = o.similarity ?? 1;
  const signal = o.signal ?? new AbortController().signal;
  const report: CompareReport = { ok: false, a: { label: o.a.label }, b: { label: o.b.label }, similarity: minSimilarity, turns: [], notRun: 0, startedAt, timeMs: 0 };

  const opened = await Promise.allSettled([o.a.open(), o.b.open()]);
  const sessions: Partial<Record<CompareSideName, CompareSession>> = {};
  const openErrors: Partial<Record<CompareSideName, string>> = {};
  (['a', 'b'] as const).forEach((side, i) => {
    const r = opened[i]!;
    if (r.status === 'fulfilled') sessions[side] = r.value;
    else openErrors[side] = `cannot open a session on ${labels[side]}: ${(r.reason as Error)?.message ?? String(r.reason)}`;
  });

  try {
    for (let index = 0; index < o.turns.length; index++) {
      if (signal.aborted) break;
      const turn = o.turns[index]!;
      const scenario = turn.scenario ?? o.scenario;
      const ts = now();
      o.onProgress?.({ type: 'turn.start', index, count: o.turns.length, input: turn.input, ...(scenario !== undefined ? { scenario } : {}) });
      const errors: Partial<Record<CompareSideName, string>> = {};
      const run = async (side: CompareSideName): Promise<TurnRecord | undefined> => {
        const session = sessions[side];
        const sideScenario = o[side].scenario ?? scenario;
        if (!session) {
          errors[side] = openErrors[side] ?? 'no session';
          return undefined;
        }
        try {
          const events = await session.runTurn({
            input: turn.input,
            ...(sideScenario !== undefined ? { scenario: sideScenario } : {}),
            ...(o.webchat ? { webchat: o.webchat } : {}),
            signal,
            onEvent: (event) => o.onProgress?.({ type: 'event', index, side, event }),
          });
          const rec = summarizeTurns(events)[0];
          if (!rec) errors[side] = 'the session produced no turn';
          return rec;
        } catch (err) {
          errors[side] = (err as Error).message;
          return undefined;
        }
      };
      const [a, b] = await Promise.all([run('a'), run('b')]);
      const { similarity, checks } = judgeTurnPair(a, b, labels, minSimilarity);
      // A script turn's own assertions hold on both sides, or the turn fails (never skipped in a compare).
      for (const [side, rec] of [['a', a], ['b', b]] as const) {
        if (!rec || !turn.assert?.length) continue;
        const located = turn.assert.map((assertion, k) => ({ assertion, at: `${labels[side]}: line ${turn.line}: assert[${k}]` }));
        checks.push(...evaluateAssertions(located, { turn: rec }));
      }
      const result: CompareTurnResult = {
        index,
        input: turn.input,
        ...(scenario !== undefined ? { scenario } : {}),
        ...(a ? { a } : {}),
        ...(b ? { b } : {}),
        errors,
        diff: diffTurns(a, b, index, { a: 'A', b: 'B' }),
        similarity,
        checks,
        ok: !errors.a && !errors.b && checks.every((c) => c.ok),
        timeMs: now() - ts,
      };
      report.turns.push(result);
      o.onProgress?.({ type: 'turn.end', index, count: o.turns.length, result });
    }
  } finally {
    await Promise.all([sessions.a?.close().catch(() => {}), sessions.b?.close().catch(() => {})]);
  }
  report.notRun = o.turns.length - report.turns.length;
  report.ok = report.notRun === 0 && report.turns.length > 0 && report.turns.every((t) => t.ok);
  report.timeMs = now() - t0;
  return report;
}
