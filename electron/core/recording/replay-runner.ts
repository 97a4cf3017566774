// Replays cassettes as regression tests: re-sends each recorded input through a session (one per
// cassette, so a dialog keeps its session) and compares the new run with the recording plus the sidecar
// assertions. The session is injected, so this runs against the real engine, the simulator or a fake
// alike. It never stops at the first failure: every turn of every cassette gets a verdict.
import type { SessionEvent } from '../../../shared/events';
import type { WebchatMode } from '../../../shared/webchat';
import { describeDamage } from '../../../shared/turn-status';
import type { AssertionFile } from '../../../shared/assertions';
import { assertionsFor, checkSidecarFits, evaluateAssertions, loadAssertions } from './assertions';
import { readCassette, type CassetteReadResult } from './cassette-reader';
import { compareTurn, type CheckResult, type CompareOptions } from './checks';
import { summarizeTurns, type TurnRecord } from './turns';

export interface ReplayTurnRequest {
  input: string;
  scenario?: string;
  signal: AbortSignal;
  /** Preview the turn in Webchat with this mode (the `webchat` check compares its warnings). */
  webchat?: WebchatMode;
}

export interface ReplaySession {
  /** Runs one turn and resolves with all its events, sync outcome included. */
  runTurn(req: ReplayTurnRequest): Promise<SessionEvent[]>;
  close(): Promise<void>;
}

export type OpenReplaySession = (cassette: CassetteReadResult) => Promise<ReplaySession>;

export interface ReplayTurnResult {
  index: number;
  input: string;
  scenario?: string;
  ok: boolean;
  checks: CheckResult[];
  recorded: TurnRecord;
  replayed?: TurnRecord;
  /** Wall time of the replayed turn. */
  timeMs: number;
  /** The turn could not run at all (session error, interrupted). */
  error?: string;
}

export interface CassetteReplayResult {
  path: string;
  ok: boolean;
  turns: ReplayTurnResult[];
  /** The cassette or its sidecar could not be used; no turn ran. */
  error?: string;
  warnings: string[];
  assertionsPath?: string;
  timeMs: number;
  startedAt: string;
}

export interface ReplayReport {
  ok: boolean;
  cassettes: CassetteReplayResult[];
  totals: { cassettes: number; turns: number; passed: number; failed: number; errors: number };
  timeMs: number;
}

export interface ReplayOptions {
  openSession: OpenReplaySession;
  compare?: CompareOptions;
  /** Overrides each turn's recorded scenario (demo simulator). */
  scenario?: string;
  /** Webchat preview mode of the replay; default: the mode the recording was previewed with, if any. */
  webchat?: WebchatMode;
  signal?: AbortSignal;
  onCassetteStart?(info: { path: string; index: number; count: number; turns: number }): void;
  onTurn?(info: { path: string; turn: ReplayTurnResult; turns: number }): void;
  onCassette?(result: CassetteReplayResult): void;
  /** Accept recorded turns whose answer is damaged (seq gaps, undecodable bytes) as baselines. */
  acceptDamaged?: boolean;
  /** Keep each turn's event lists in the result (default true); CI runs over thousands of turns drop them. */
  keepEvents?: boolean;
  /** Monotonic clock (tests). */
  now?: () => number;
}

export async function replayCassette(path: string, index: number, count: number, opts: ReplayOptions): Promise<CassetteReplayResult> {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const startedAt = new Date().toISOString();
  const result: CassetteReplayResult = { path, ok: false, turns: [], warnings: [], timeMs: 0, startedAt };
  let cassette: CassetteReadResult;
  let assertions: AssertionFile | undefined;
  try {
    // Read-only here: the events are compared, never written again, so they need not be copied.
    cassette = readCassette(path, { asParsed: true });
    result.warnings.push(...cassette.warnings);
    const a = loadAssertions(path);
    if (a) {
      assertions = a.file;
      result.assertionsPath = a.path;
    }
  } catch (err) {
    result.error = (err as Error).message;
    result.timeMs = now() - t0;
    opts.onCassette?.(result);
    return result;
  }
  const recordedTurns = summarizeTurns(cassette.events);
  if (assertions) {
    try {
      checkSidecarFits(assertions, recordedTurns, result.assertionsPath);
    } catch (err) {
      result.error = (err as Error).message;
      result.timeMs = now() - t0;
      opts.onCassette?.(result);
      return result;
    }
  }
  const webchat = opts.webchat ?? recordedTurns.find((t) => t.webchat)?.webchat?.settings.mode;
  opts.onCassetteStart?.({ path, index, count, turns: recordedTurns.length });
  if (recordedTurns.length === 0) {
    result.error = `${path}: the cassette holds no turn`;
    result.timeMs = now() - t0;
    opts.onCassette?.(result);
    return result;
  }

  let session: ReplaySession | undefined;
  try {
    session = await opts.openSession(cassette);
  } catch (err) {
    result.error = `cannot open a session for ${path}: ${(err as Error).message}`;
  }
  try {
    for (const recorded of recordedTurns) {
      const scenario = opts.scenario ?? recorded.scenario ?? cassette.header.scenario;
      const turn: ReplayTurnResult = { index: recorded.index, input: recorded.input, ok: false, checks: [], recorded, timeMs: 0 };
      if (scenario !== undefined) turn.scenario = scenario;
      const ts = now();
      if (!session) turn.error = result.error ?? 'no session';
      else if (opts.signal?.aborted) turn.error = 'interrupted before this turn ran';
      else {
        try {
          const events = await session.runTurn({
            input: recorded.input,
            ...(scenario !== undefined ? { scenario } : {}),
            ...(webchat ? { webchat } : {}),
            signal: opts.signal ?? new AbortController().signal,
          });
          const replayed = summarizeTurns(events)[0];
          if (!replayed) turn.error = 'the session produced no turn';
          else {
            turn.replayed = replayed;
            if (recorded.status === 'incomplete')
              turn.checks.push({ check: 'recording', ok: false, expected: 'a complete recorded turn', got: 'the recording stopped during this turn (no turn.end)' });
            // A recording cancelled mid-turn (record's Cancel keeps it) holds half an answer: not a baseline.
            else if (recorded.status === 'cancelled')
              turn.checks.push({ check: 'recording', ok: false, expected: 'a complete recorded turn', got: 'the recording was cancelled during this turn; record it again' });
            else if (recorded.damage.length && !opts.acceptDamaged)
              // A baseline with a hole would pass a replay with the same hole: refuse it unless asked.
              turn.checks.push({
                check: 'recording',
                ok: false,
                expected: 'a whole recorded answer as the baseline',
                got: `the recorded answer is damaged (${describeDamage(recorded.damage)}); record it again, or pass --accept-damaged to compare against it as recorded`,
              });
            turn.checks.push(...compareTurn(recorded, replayed, opts.compare));
            turn.checks.push(...evaluateAssertions(assertionsFor(assertions, recorded.index), { turn: replayed, baseline: recorded }));
          }
        } catch (err) {
          turn.error = (err as Error).message;
        }
      }
      turn.timeMs = now() - ts;
      turn.ok = !turn.error && turn.checks.every((c) => c.ok);
      if (opts.keepEvents === false) {
        turn.recorded = { ...turn.recorded, events: [] };
        if (turn.replayed) turn.replayed = { ...turn.replayed, events: [] };
      }
      result.turns.push(turn);
      opts.onTurn?.({ path, turn, turns: recordedTurns.length });
    }
  } finally {
    await session?.close().catch(() => {});
  }
  result.ok = !result.error && result.turns.every((t) => t.ok);
  result.timeMs = now() - t0;
  opts.onCassette?.(result);
  return result;
}

export async function replayCassettes(paths: string[], opts: ReplayOptions): Promise<ReplayReport> {
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const cassettes: CassetteReplayResult[] = [];
  for (let i = 0; i < paths.length; i++) cassettes.push(await replayCassette(paths[i] as string, i, paths.length, opts));
  const turns = cassettes.flatMap((c) => c.turns);
  const totals = {
    cassettes: cassettes.length,
    turns: turns.length,
    passed: turns.filter((t) => t.ok).length,
    failed: turns.filter((t) => !t.ok && !t.error).length,
    errors: turns.filter((t) => t.error).length + cassettes.filter((c) => c.error && c.turns.length === 0).length,
  };
  return { ok: cassettes.every((c) => c.ok), cassettes, totals, timeMs: now() - t0 };
}
