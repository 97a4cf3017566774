// How far a reported token count is from the tokenizer's estimate, per part (prompt, completion, total), and
// when that is worth a warning. One rule for the engine's usage events, the app's session row and the CLI.
import type { TokenUsage } from './events';

/** Relative difference above which reported and estimated usage are flagged (in any part). */
export const DRIFT_THRESHOLD = 0.1;

const PARTS = ['prompt', 'completion', 'total'] as const;
export type UsagePart = (typeof PARTS)[number];

/**
 * |reported − estimated| / reported. A report of 0 tokens is divided by 1 instead, so an answer reported as
 * free is still flagged (and the number stays finite for JSON).
 */
export function relativeDrift(reported: number, estimated: number): number {
  return Math.abs(reported - estimated) / Math.max(reported, 1);
}

export interface Drift {
  /** Per part. */
  prompt: number;
  completion: number;
  total: number;
  /** Some part is over the threshold: a large prompt drift counts like any other. */
  flagged: boolean;
  /** The parts over the threshold, in order. */
  over: UsagePart[];
}

export function driftOf(reported: TokenUsage, estimated: TokenUsage): Drift {
  const d = { prompt: relativeDrift(reported.prompt, estimated.prompt), completion: relativeDrift(reported.completion, estimated.completion), total: relativeDrift(reported.total, estimated.total) };
  const over = PARTS.filter((p) => d[p] > DRIFT_THRESHOLD);
  return { ...d, flagged: over.length > 0, over };
}

/** "12.0 % · prompt 700.0 %": the total, plus each other part that is over the threshold. */
export function describeDrift(d: Pick<Drift, UsagePart | 'over'>): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  return [pct(d.total), ...d.over.filter((p) => p !== 'total').map((p) => `${p} ${pct(d[p])}`)].join(' · ');
}
