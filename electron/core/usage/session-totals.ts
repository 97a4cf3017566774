// Per-session usage totals: the reported numbers, the estimates and what the session counts (reported when a
// turn had them, else the estimate), kept apart so the UI can show all three. State only; no I/O.
import type { TokenUsage, UsageEvent } from '../../../shared/events';
import { countedUsage } from '../../../shared/counted-usage';

export interface UsageTotals {
  /** Sum over the turns that had a report; null when none had. */
  reported: TokenUsage | null;
  /** Sum of the estimates of every turn. */
  estimated: TokenUsage;
  /** Sum of what each turn counts (its `source`). */
  counted: TokenUsage;
  turns: number;
  /** Turns whose counts were reported / whose drift was flagged. */
  reportedTurns: number;
  driftFlaggedTurns: number;
}

const zero = (): TokenUsage => ({ prompt: 0, completion: 0, total: 0 });
const addTo = (sum: TokenUsage, u: TokenUsage): void => {
  sum.prompt += u.prompt;
  sum.completion += u.completion;
  sum.total += u.total;
};

export function createUsageTotals(): { add(ev: UsageEvent): void; totals(): UsageTotals } {
  const reported = zero();
  const estimated = zero();
  const counted = zero();
  let turns = 0;
  let reportedTurns = 0;
  let driftFlaggedTurns = 0;
  return {
    add(ev) {
      turns++;
      addTo(estimated, ev.estimated);
      if (ev.reported) {
        reportedTurns++;
        addTo(reported, ev.reported);
      }
      if (ev.driftFlagged) driftFlaggedTurns++;
      addTo(counted, countedUsage(ev));
    },
    totals: () => ({
      reported: reportedTurns > 0 ? { ...reported } : null,
      estimated: { ...estimated },
      counted: { ...counted },
      turns,
      reportedTurns,
      driftFlaggedTurns,
    }),
  };
}
