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

/** Index of the p-th percentile (nearest rank) in n sorted values. */
const rank = (n: number, p: number) => Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));

/**
 * Puts the k-th smallest of a[lo..hi] at a[k], smaller ones before it and larger ones after (quickselect,
 * median-of-three pivot): O(n), where sorting a 100k-token answer's gaps took tens of milliseconds.
 */
function select(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i] = a[j]!;
        a[j] = tmp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

export function timingOf(t: TimingInput, stallMs: number, buckets = 240): Timing {
  const at = t.at;
  const n = at.length;
  // A typed array and selection instead of a sort: the Timing view redraws a long turn while it streams,
  // and sorting a 100k-token answer's gaps with a comparator took over 100 ms per redraw.
  const final = t.end?.cause === 'timeout';
  const gaps = new Float64Array(Math.max(0, n - 1) + (final ? 1 : 0));
  const stalls: Stall[] = [];
  for (let i = 1; i < n; i++) {
    const g = (at[i] ?? 0) - (at[i - 1] ?? 0);
    gaps[i - 1] = g;
    if (g > stallMs) stalls.push({ index: i, gap: g });
  }
  // The silence that ended in the liveness timeout is a gap like any other, and a stall whatever the
  // threshold: the turn died of it.
  if (final) {
    const g = Math.max(0, t.end!.durationMs - (n ? at[n - 1]! : 0));
    gaps[gaps.length - 1] = g;
    stalls.push({ index: n, gap: g, final: true });
  }
  const per = Math.max(1, Math.ceil(gaps.length / buckets));
  const series: Array<[number, number]> = [];
  for (let i = 0; i < gaps.length; i += per) {
    let m = 0;
    for (let j = i; j < Math.min(gaps.length, i + per); j++) m = Math.max(m, gaps[j]!);
    series.push([i + 1, m]);
  }
  let max: number | undefined;
  for (let i = 0; i < gaps.length; i++) if (max === undefined || gaps[i]! > max) max = gaps[i]!;
  // p95 first: it leaves the values below it in front, where p50 is looked for.
  const k95 = rank(gaps.length, 95);
  const p95 = gaps.length ? select(gaps, k95) : undefined;
  const p50 = gaps.length ? select(gaps, rank(gaps.length, 50), 0, k95) : undefined;
  const ttft = t.end?.ttftMs ?? at[0];
  const duration = t.end?.durationMs ?? (n ? at[n - 1] : undefined);
  return {
    ttft,
    duration,
    tokens: n,
    tokensPerSec: duration && n ? (n * 1000) / duration : undefined,
    p50,
    p95,
    max,
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
