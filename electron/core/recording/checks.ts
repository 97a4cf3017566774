// The default regression checks of a replayed turn against its recording: answer text (equal or similar
// enough), no leak, turn complete, sync succeeded, usage and time to first token within tolerances.
// Each check says what was expected and what came, so a failure report needs no second look.
import { describeDamage } from '../../../shared/turn-status';
import { textDiff } from './text-diff';
import { baselineWarnings, newWarnings } from '../webchat/webchat-baseline';
import { answerText, type TurnRecord } from './turns';

export interface CheckResult {
  /** Stable name: text, leak, status, sync, usage, ttft, webchat, assert.* */
  check: string;
  ok: boolean;
  expected: string;
  got: string;
  /** Unified diff (expected → got), for text checks that failed. */
  diff?: string;
  /** Sidecar assertions: where the assertion sits in its file (`all[0]`, `turns[1].assert[2]`). */
  at?: string;
}

export interface CompareOptions {
  /** Minimum similarity of the answer texts; 1 (default) = exactly equal. */
  similarity?: number;
  /** A replayed TTFT may exceed the recorded one by this much (default 2000 ms); faster is always fine. */
  ttftToleranceMs?: number;
  /** Relative tolerance of the counted total tokens (default 0.1 = ±10 %). */
  usageTolerance?: number;
  /** Check that the answer's sync succeeded (default true; off when the replay runs without sync). */
  checkSync?: boolean;
}

export const DEFAULT_COMPARE: Required<CompareOptions> = { similarity: 1, ttftToleranceMs: 2000, usageTolerance: 0.1, checkSync: true };

export function compareTurn(recorded: TurnRecord, replayed: TurnRecord, options: CompareOptions = {}): CheckResult[] {
  const o = { ...DEFAULT_COMPARE, ...options };
  const out: CheckResult[] = [];

  const expected = answerText(recorded);
  const got = answerText(replayed);
  const which = recorded.filteredText !== null ? 'filtered answer' : 'answer';
  const d = textDiff(expected, got, { a: 'recorded', b: 'replayed' });
  const textOk = d.same || (o.similarity < 1 && d.similarity >= o.similarity);
  out.push({
    check: 'text',
    ok: textOk,
    expected: o.similarity < 1 ? `${which} similar to the recording (≥ ${o.similarity})` : `${which} equal to the recording`,
    got: d.same ? 'equal' : `different (similarity ${d.similarity.toFixed(3)}, ${expected.length} → ${got.length} chars)`,
    ...(d.same ? {} : { diff: d.patch }),
  });

  out.push({
    check: 'leak',
    ok: replayed.leaks.length === 0,
    expected: 'no filter.leak event',
    got: replayed.leaks.length === 0 ? 'none' : `${replayed.leaks.length} leak event(s), first at filtered offset ${replayed.leaks[0]?.position}`,
  });

  const statusOk = replayed.status === 'complete' || replayed.status === recorded.status;
  out.push({
    check: 'status',
    ok: statusOk,
    expected: recorded.status === 'complete' ? 'turn complete' : `turn complete (or ${recorded.status}, as recorded)`,
    got: `${replayed.status}${replayed.cause ? ` (${replayed.cause})` : ''}${replayed.damage.length ? `: ${describeDamage(replayed.damage)}` : ''}`,
  });

  const syncStates = replayed.syncs.map((s) => s.state);
  const recordedSynced = recorded.syncs.some((s) => s.state === 'synced');
  if (o.checkSync && (syncStates.length || recordedSynced)) {
    const bad = replayed.syncs.filter((s) => s.state !== 'synced');
    out.push({
      check: 'sync',
      ok: syncStates.length > 0 && bad.length === 0,
      expected: 'sync succeeded',
      got: syncStates.length === 0 ? 'no sync happened' : bad.length === 0 ? 'synced' : bad.map((s) => `${s.target} ${s.state}${s.cause ? ` (${s.cause})` : ''}`).join(', '),
    });
  }

  // Like with like: reported counts when both runs have them, else the tokenizer estimates of both
  // (an upstream that stopped reporting usage is not a change in the answer's size).
  if (recorded.usage) {
    const both = recorded.usage.reported && replayed.usage?.reported;
    const source = both ? 'reported' : 'estimated';
    const ur = (both ? recorded.usage.reported : recorded.usage.estimated)!.total;
    const up = replayed.usage ? (both ? replayed.usage.reported : replayed.usage.estimated)?.total : undefined;
    const limit = o.usageTolerance * Math.max(ur, 1);
    const ok = up !== undefined && Math.abs(up - ur) <= limit;
    out.push({
      check: 'usage',
      ok,
      expected: `total tokens ${ur} (${source}) ± ${Math.round(o.usageTolerance * 100)} %`,
      got: up === undefined ? 'no usage event' : `${up} (${up - ur >= 0 ? '+' : ''}${up - ur})`,
    });
  }

  // A Webchat warning the recording did not have means end users now see something the answer does not say.
  if (replayed.webchat) {
    const { settings, warnings } = replayed.webchat;
    const fresh = newWarnings(baselineWarnings(recorded, settings.flags), warnings);
    out.push({
      check: 'webchat',
      ok: fresh.length === 0,
      expected: `no Webchat warning the recording did not have (${settings.mode}: collation ${settings.flags.collateStreamedOutputs ? 'on' : 'off'}, progressive ${settings.flags.progressiveMessageRendering ? 'on' : 'off'})`,
      got: fresh.length === 0 ? (warnings.length ? `only the recorded ${warnings.length} warning(s)` : 'none') : `${fresh.length} new: ${fresh.map((w) => `${w.kind}: ${w.detail}`).join(' | ')}`,
    });
  }

  if (recorded.ttftMs !== undefined) {
    const ok = replayed.ttftMs !== undefined && replayed.ttftMs <= recorded.ttftMs + o.ttftToleranceMs;
    out.push({
      check: 'ttft',
      ok,
      expected: `TTFT ≤ ${Math.round(recorded.ttftMs)} + ${o.ttftToleranceMs} ms`,
      got: replayed.ttftMs === undefined ? 'no token arrived' : `${Math.round(replayed.ttftMs)} ms`,
    });
  }
  return out;
}
