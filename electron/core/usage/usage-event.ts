// One turn's usage event: what the upstream reported (kept as is when present), the tokenizer estimate
// (always), how far apart they are, and which one the session counts. Never drops the reported numbers in
// favour of the estimate, and never invents a report.
import { z } from 'zod';
import { TokenUsage, type UsageEvent } from '../../../shared/events';
import { usageSourceOf } from '../../../shared/counted-usage';
import { driftOf, relativeDrift } from '../../../shared/usage-drift';
import { estimateUsage, type CompletionCounter } from './estimate';

export { DRIFT_THRESHOLD } from '../../../shared/usage-drift';

/** |reported.total − estimated.total| / reported.total (see shared/usage-drift.ts). */
export function usageDrift(reported: TokenUsage, estimated: TokenUsage): number {
  return relativeDrift(reported.total, estimated.total);
}

export interface UsageEventInput {
  turnId: string;
  at: number;
  model: string;
  prompt: string;
  /** The raw answer, or a counter it was fed to as it arrived (created for the same model). */
  completion: string | CompletionCounter;
  reported?: TokenUsage;
}

export function makeUsageEvent(input: UsageEventInput): UsageEvent {
  const { usage: estimated, encoding } = estimateUsage(input);
  const ev: UsageEvent = { type: 'usage', turnId: input.turnId, at: input.at, estimated, encoding, driftFlagged: false, source: usageSourceOf(undefined) };
  if (input.reported !== undefined) {
    const reported = TokenUsage.safeParse(input.reported);
    if (!reported.success) {
      throw new TypeError(`reported usage for turn ${input.turnId} is not a token count: ${describeIssues(reported.error)}`);
    }
    ev.reported = reported.data;
    const d = driftOf(reported.data, estimated);
    ev.drift = d.total;
    ev.driftByPart = { prompt: d.prompt, completion: d.completion, total: d.total };
    ev.driftFlagged = d.flagged;
    ev.source = usageSourceOf(ev.reported);
  }
  return ev;
}

const OpenAiUsage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
});

/**
 * The gateway's `usage` object (`prompt_tokens`, `completion_tokens`, `total_tokens`) as TokenUsage;
 * `undefined` when absent, an Error naming the field when present but not counts. A missing total is the sum.
 */
export function parseReportedUsage(raw: unknown): TokenUsage | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parsed = OpenAiUsage.safeParse(raw);
  if (!parsed.success) throw new TypeError(`usage is not a token count object: ${describeIssues(parsed.error)}`);
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = parsed.data;
  return { prompt, completion, total: total ?? prompt + completion };
}

/** "field: what is wrong" per problem, on one line (error messages are read in logs and CLI output). */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'value'}: ${i.message}`).join('; ');
}
