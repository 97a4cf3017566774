// Human-readable lines about a turn for stderr: timing, usage (reported vs estimated), sync status.
import type { SyncEvent, TokenUsage } from '../../shared/events';
import { describeDamage, endUserReceived, TURN_STATUS_INFO, type TurnStatusInfo } from '../../shared/turn-status';
import { describeDrift, driftOf } from '../../shared/usage-drift';
import { DEFAULT_STALL_THRESHOLD_MS, describeStalls, timingOf } from '../../shared/turn-timing';
import type { SessionTotals, TurnSummary } from '../core/session/session-engine';

const TONE_MARKS: Record<TurnStatusInfo['tone'], string> = { ok: '✓', warn: '◐', error: '✗', neutral: '■' };

const fmtUsage = (u: TokenUsage) => `prompt ${u.prompt} · completion ${u.completion} · total ${u.total}`;

export function formatSummary(s: TurnSummary, totals?: SessionTotals, stallMs = DEFAULT_STALL_THRESHOLD_MS): string {
  const mark = TONE_MARKS[TURN_STATUS_INFO[s.status].tone];
  // The same figures as the app's Timing view (shared/turn-timing.ts), at the default stall threshold.
  const t = timingOf({ at: s.tokenAt, end: { durationMs: s.durationMs, ...(s.ttftMs !== undefined ? { ttftMs: s.ttftMs } : {}), ...(s.cause ? { cause: s.cause } : {}) } }, stallMs);
  const rate = t.tokensPerSec !== undefined ? ` (${t.tokensPerSec.toFixed(1)} tokens/s)` : '';
  const out = [
    `${mark} ${s.status}${s.cause ? ` (${s.cause})` : ''} · TTFT ${t.ttft !== undefined ? `${Math.round(t.ttft)} ms` : '—'} · ${(s.durationMs / 1000).toFixed(2)} s · ${s.tokenCount} tokens${rate} · ${describeStalls(t.stalls)}`,
  ];
  if (s.status === 'partial') out.push(`  partial answer: ${s.rawText.length} characters arrived before the stream ended; kept above`);
  if (s.damage.length) out.push(`  damaged answer: ${describeDamage(s.damage)}; first at character ${Math.min(...s.damage.map((d) => d.firstPosition))}`);
  if (s.status !== 'complete') out.push(`  ${endUserReceived(s.status, s.filteredText.length, s.fallback)}`);
  const u = s.usage;
  if (u) {
    if (u.reported) out.push(`  usage: ${fmtUsage(u.reported)} (reported)`);
    const drift = u.reported ? driftOf(u.reported, u.estimated) : undefined;
    out.push(`  usage: ${fmtUsage(u.estimated)} (estimated, ${u.encoding})${drift ? ` · drift ${describeDrift(drift)}${u.driftFlagged ? ' ⚠ over 10 %' : ''}` : ''}`);
  }
  if (totals && totals.turns > 1) out.push(`  session: ${totals.turns} turns · ${fmtUsage(totals.counted)}`);
  if (s.hits.length) {
    const n = s.hits.reduce((a, h) => a + h.count, 0);
    out.push(`  PII: ${n} hit${n === 1 ? '' : 's'} · ${s.hits.map((h) => `${h.type} ×${h.count} (${h.action})`).join(', ')}`);
  } else out.push('  PII: no hits');
  if (s.leak) out.push('  !! the leak alarm fired: streamed output differs from whole-text filtering');
  return out.join('\n');
}

export function formatSyncEvent(e: SyncEvent): string {
  const target = e.target === 'gateway-variables' ? 'dialog variables' : 'context inject';
  switch (e.state) {
    case 'queued':
      return `sync (${target}): queued`;
    case 'sending':
      return `sync (${target}): sending (attempt ${e.attempt})`;
    case 'retrying': {
      const inS = e.nextAttemptAt ? Math.max(0, (e.nextAttemptAt - Date.now()) / 1000).toFixed(1) : '?';
      return `sync (${target}): retrying in ${inS} s (attempt ${e.attempt}${e.cause ? `, ${e.cause}` : ''}${e.detail ? `: ${e.detail}` : ''})`;
    }
    case 'synced':
      return `sync (${target}): synced`;
    case 'failed':
      return `sync (${target}): failed${e.cause ? ` (${e.cause})` : ''}${e.detail ? `: ${e.detail}` : ''}`;
  }
}
