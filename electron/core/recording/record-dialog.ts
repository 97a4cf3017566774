// Records a multi-turn dialog into a cassette: every event the session emits is appended as it happens
// (so an interrupted recording keeps everything up to the interruption), turn after turn, each turn's sync
// awaited so its outcome is recorded. It never stops at a failed turn, except when authentication failed
// (every further turn would fail the same way).
import type { WebchatMode } from '../../../shared/webchat';
import type { SessionEngine, TurnSummary } from '../session/session-engine';
import type { CassetteWriter } from './cassette-writer';
import type { ScriptTurn } from './dialog-script';
import { runEngineTurn } from './engine-turn';

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
  onTurnEnd?(index: number, summary: TurnSummary): void;
  syncTimeoutMs?: number;
}

export interface RecordDialogResult {
  summaries: TurnSummary[];
  /** Turns of the script that did not run (interrupted, or stopped after an authentication failure). */
  notRun: number;
}

export async function recordDialog(o: RecordDialogOptions): Promise<RecordDialogResult> {
  const writer = o.writer;
  const unsubscribe = writer ? o.engine.subscribe((e) => writer.append(e)) : () => true;
  const summaries: TurnSummary[] = [];
  try {
    for (let i = 0; i < o.turns.length; i++) {
      if (o.signal?.aborted) break;
      const turn = o.turns[i] as ScriptTurn;
      o.onTurnStart?.(i, turn);
      const scenario = turn.scenario ?? o.scenario;
      const { summary } = await runEngineTurn(o.engine, {
        input: turn.input,
        ...(scenario !== undefined ? { scenario } : {}),
        ...(o.webchat ? { webchat: o.webchat } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.syncTimeoutMs !== undefined ? { syncTimeoutMs: o.syncTimeoutMs } : {}),
      });
      summaries.push(summary);
      o.onTurnEnd?.(i, summary);
      if (summary.cause === 'auth' || summary.cause === 'forbidden' || summary.status === 'cancelled') break;
    }
  } finally {
    unsubscribe();
    writer?.flush();
  }
  return { summaries, notRun: o.turns.length - summaries.length };
}
