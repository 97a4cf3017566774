// Timing numbers of a turn from its token arrival times: TTFT, gaps, percentiles, stalls, and a
// downsampled series (max per bucket, so a stall is never averaged away) for the chart.
import type { TurnData } from '../../store/turn-model';
import { percentile } from '../format';

export interface Timing {
  ttft?: number;
  duration?: number;
  tokens: number;
  tokensPerSec?: number;
  p50?: number;
  p95?: number;
  max?: number;
  stalls: Array<{ index: number; gap: number }>;
  /** Chart buckets: [first token index, largest gap in the bucket]. */
  series: Array<[number, number]>;
}

export function timingOf(t: TurnData, stallMs: number, buckets = 240): Timing {
  const at = t.tokens.at;
  const n = at.length;
  const gaps: number[] = [];
  const stalls: Timing['stalls'] = [];
  for (let i = 1; i < n; i++) {
    const g = (at[i] ?? 0) - (at[i - 1] ?? 0);
    gaps.push(g);
    if (g > stallMs) stalls.push({ index: i, gap: g });
  }
  const sorted = [...gaps].sort((a, b) => a - b);
  const per = Math.max(1, Math.ceil(gaps.length / buckets));
  const series: Array<[number, number]> = [];
  for (let i = 0; i < gaps.length; i += per) {
    let m = 0;
    for (let j = i; j < Math.min(gaps.length, i + per); j++) m = Math.max(m, gaps[j]!);
    series.push([i + 1, m]);
  }
  const ttft = t.end?.ttftMs ?? at[0];
  const duration = t.end?.durationMs ?? (n ? at[n - 1] : undefined);
  const streamMs = n > 1 ? at[n - 1]! - at[0]! : undefined;
  return {
    ttft,
    duration,
    tokens: n,
    tokensPerSec: streamMs ? ((n - 1) * 1000) / streamMs : undefined,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
    stalls,
    series,
  };
}
