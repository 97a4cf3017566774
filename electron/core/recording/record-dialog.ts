// Records a multi-turn dialog into a cassette: every event the session emits is appended as it happens
// (so an interrupted recording keeps everything up to the interruption), turn after turn, each turn's sync
// awaited so its outcome is recorded. It never stops at a failed turn, except when authentication failed
// (every further turn would fail the same way) or it was cancelled: the signal cancels the running turn,
// which ends (status cancelled) in the cassette like any other, so what was recorded stays a valid cassette.
// A turn's own script assertions are judged on it as recorded (the sidecar carries them to every replay).
import type { WebchatMode } from '../../../shared/webchat';
import type { SessionEngine, TurnSummary } from '../session/session-engine';
import type { CassetteWriter } from './cassette-writer';
import type { SessionEvent } from '../../../shared/events';
import type { ScriptTurn } from '../../../shared/dialog-script';
import { evaluateAssertions } from './assertions';
import type { CheckResult } from './checks';
import { runEngineTurn } from './engine-turn';
import { summarizeTurns, type TurnRecord } from './turns';

export interface RecordDialogOptions {
  engine: SessionEngine;
  /** Appends every session event to this cassette (leave out when a session recorder is attached). */
  writer?: CassetteWriter;
  turns: ScriptTurn[];
  /** Scenario for turns that do not name one. */
  scenario?: string;
  /** Preview every turn in Webchat, so the cassette carries its bubbles and warnings (the replay baseline). */
  webchat?: WebchatMode;
  signal?: AbortSignal;
  onTurnStart?(index: number, turn: ScriptTurn): void;
  /** Every event of turn `index` as it comes (the app streams them into its lanes). */
  onEvent?(index: number, event: SessionEvent): void;
  onTurnEnd?(index: number, summary: TurnSummary, recorded: RecordedTurn): void;
  syncTimeoutMs?: number;
}

export interface RecordedTurn {
  /** The turn as the session emitted it (what the cassette holds, before any redaction). */
  record?: TurnRecord;
  /** The script turn's own assertions, judged on this recording (empty when it has none). */
  checks: CheckResult[];
}

export interface RecordDialogResult {
  summaries: TurnSummary[];
  turns: RecordedTurn[];
  /** Turns of the script that did not run (interrupted, or stopped after an authentication failure). */
  notRun: number;
}

export async function recordDialog(o: RecordDialogOptions): Promise<RecordDialogResult> {
  const writer = o.writer;
  const unsubscribe = writer ? o.engine.subscribe((e) => writer.append(e)) : () => true;
  const summaries: TurnSummary[] = [];
  const recorded: RecordedTurn[] = [];
  try {
    for (let i = 0; i < o.turns.length; i++) {
      if (o.signal?.aborted) break;
      const turn = o.turns[i] as ScriptTurn;
      o.onTurnStart?.(i, turn);
      const scenario = turn.scenario ?? o.scenario;
      const { summary, events } = await runEngineTurn(o.engine, {
        input: turn.input,
        onEvent: (e) => o.onEvent?.(i, e),
        ...(scenario !== undefined ? { scenario } : {}),
        ...(o.webchat ? { webchat: o.webchat } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.syncTimeoutMs !== undefined ? { syncTimeoutMs: o.syncTimeoutMs } : {}),
      });
      summaries.push(summary);
      const record = summarizeTurns(events)[0];
      const located = (turn.assert ?? []).map((assertion, k) => ({ assertion, at: `line ${turn.line}: assert[${k}]` }));
      const r: RecordedTurn = { ...(record ? { record } : {}), checks: record ? evaluateAssertions(located, { turn: record }) : [] };
      recorded.push(r);
      o.onTurnEnd?.(i, summary, r);
      if (summary.cause === 'auth' || summary.cause === 'forbidden' || summary.status === 'cancelled') break;
    }
  } finally {
    unsubscribe();
    writer?.flush();
  }
  return { summaries, turns: recorded, notRun: o.turns.length - summaries.length };
}
