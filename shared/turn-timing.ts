// Timing figures of one turn from its token arrival times and its end: TTFT, tokens/s, gap percentiles,
// stalls and a downsampled gap series for a chart. The app's Timing view and the CLI's summary both call
// this, so they can never disagree. Pure: numbers in, numbers out.
import type { Cause } from './events';

/** A gap between two tokens longer than this is a stall (the app's setting starts here; the CLI uses it). */
export const DEFAULT_STALL_THRESHOLD_MS = 1000;

export interface TimingInput {
  /** Arrival of each token, ms since the turn started, in token order. */
  at: readonly number[];
  /** How the turn ended, once it has. */
  end?: { ttftMs?: number; durationMs: number; cause?: Cause };
}

export interface Stall {
  /** The token the silence came before; the token count when the silence ended the turn. */
  index: number;
  gap: number;
  /** The silence that ended in the liveness timeout (no token came after it). */
  final?: boolean;
}

export interface Timing {
  ttft?: number;
  duration?: number;
  tokens: number;
  /** Tokens per second of wall time: the whole turn, stalls included. */
  tokensPerSec?: number;
  p50?: number;
  p95?: number;
  max?: number;
  stalls: Stall[];
  /** Chart buckets: [first token index, largest gap in the bucket] (max per bucket: a stall is never averaged away). */
  series: Array<[number, number]>;
}

function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!sorted.length) return undefined;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function timingOf(t: TimingInput, stallMs: number, buckets = 240): Timing {
  const at = t.at;
  const n = at.length;
  const gaps: number[] = [];
  const stalls: Stall[] = [];
  for (let i = 1; i < n; i++) {
    const g = (at[i] ?? 0) - (at[i - 1] ?? 0);
    gaps.push(g);
    if (g > stallMs) stalls.push({ index: i, gap: g });
  }
  // The silence that ended in the liveness timeout is a gap like any other, and a stall whatever the
  // threshold: the turn died of it.
  if (t.end?.cause === 'timeout') {
    const g = Math.max(0, t.end.durationMs - (n ? at[n - 1]! : 0));
    gaps.push(g);
    stalls.push({ index: n, gap: g, final: true });
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
  return {
    ttft,
    duration,
    tokens: n,
    tokensPerSec: duration && n ? (n * 1000) / duration : undefined,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1],
    stalls,
    series,
  };
}

/** "1 stall (30.0 s, ended in the timeout)" / "no stalls"; for one-line summaries. */
export function describeStalls(stalls: readonly Stall[]): string {
  if (!stalls.length) return 'no stalls';
  const longest = stalls.reduce((a, b) => (b.gap > a.gap ? b : a));
  const final = stalls.find((s) => s.final);
  return `${stalls.length} stall${stalls.length === 1 ? '' : 's'} (longest ${(longest.gap / 1000).toFixed(1)} s${final ? `; the last ${(final.gap / 1000).toFixed(1)} s of silence ended in the timeout` : ''})`;
}
