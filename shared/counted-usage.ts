// The one rule for which usage a turn counts: what the upstream reported when it reported anything,
// otherwise the tokenizer's estimate. The engine stamps it on the usage event (`source`); the session
// totals, the relay, the write-back, recordings and the renderer all read it through here, so no face of
// the app can count a turn differently from another.
import type { TokenUsage, UsageEvent } from './events';

export type UsageSource = UsageEvent['source'];

/** Reported when there is a report, else estimated. */
export function usageSourceOf(reported: TokenUsage | undefined): UsageSource {
  return reported ? 'reported' : 'estimated';
}

/** The figures a turn counts. */
export function countedUsage(u: Pick<UsageEvent, 'source' | 'reported' | 'estimated'>): TokenUsage {
  return u.source === 'reported' && u.reported ? u.reported : u.estimated;
}
