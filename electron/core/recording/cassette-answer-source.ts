// Serves a recording as the simulator's answers (a mock upstream): each recorded turn becomes a wire plan
// with the recorded frames, bytes, timing, usage and failure, which the simulator executes over both
// protocols. Requests are matched by input (the n-th request with an input gets the n-th recorded turn
// with that input, cycling). Pure: it never does I/O and never reads the clock.
import type { CassetteTokenEvent } from './cassette-schema';
import type { Cassette } from './cassette-schema';
import type { AnswerPlan, AnswerRequest, AnswerSource, PlanStep, WireErrorCode, WireUsage } from '../simulator/answers';
import { countedUsage, summarizeTurns, type TurnRecord } from './turns';

export interface CassetteAnswerOptions {
  /**
   * Time scale of the recorded delays: 1 (default) = as recorded, 2 = twice as fast, 0 = no delays.
   * The simulator applies its own `speed` on top: leave this at 1 when the simulator's speed is set.
   */
  speed?: number;
  /** 'input' (default): match requests by input; 'sequence': serve recorded turns in order, whatever the input. */
  match?: 'input' | 'sequence';
}

const WIRE_CODE: Partial<Record<string, WireErrorCode>> = {
  rate_limited: 'rate_limited',
  try_again_later: 'rate_limited',
  timeout: 'timeout',
  content_filtered: 'content_filtered',
};

function wireUsage(t: TurnRecord): WireUsage | undefined {
  const u = t.usage?.reported;
  return u ? { prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.total } : undefined;
}

/** Token texts of a redacted turn: the filtered text cut at the recorded token sizes. */
function redactedPieces(t: TurnRecord): string[] {
  const text = t.filteredText ?? '';
  const out: string[] = [];
  let pos = 0;
  t.tokens.forEach((tok, i) => {
    const end = i === t.tokens.length - 1 ? text.length : Math.min(text.length, pos + tok.size);
    out.push(text.slice(pos, end));
    pos = end;
  });
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

/** The plan of one recorded turn at speed 1 (= as recorded). */
export function planFromTurn(t: TurnRecord, attempt = 1): AnswerPlan {
  const counted = countedUsage(t.usage);
  const usage: WireUsage = counted ? { prompt_tokens: counted.prompt, completion_tokens: counted.completion, total_tokens: counted.total } : { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const answer = t.rawText ?? t.filteredText ?? '';
  const steps: PlanStep[] = [];
  const retries = t.errors.filter((e) => e.retry);
  if (attempt <= retries.length) {
    const e = retries[attempt - 1]!;
    steps.push({ kind: 'error', error: e.message, code: WIRE_CODE[e.cause] ?? 'rate_limited', ...(e.retryAfterMs !== undefined ? { retryAfter: Math.ceil(e.retryAfterMs / 1000) } : {}), delayMs: e.at });
    steps.push({ kind: 'close', code: e.closeCode ?? 1013, reason: 'try again later', delayMs: 0 });
    return { answer, usage, steps };
  }

  // Token events grouped by their wire frame, in order.
  const tokenEvents = t.events.filter((e): e is CassetteTokenEvent => e.type === 'token');
  const redacted = tokenEvents.some((e) => e.text === undefined && e.bytes === undefined);
  const pieces = redacted ? redactedPieces(t) : [];
  let lastAt = retries.length ? (retries[retries.length - 1]?.at ?? 0) : 0;
  let frame: { key: number; step: PlanStep } | undefined;
  tokenEvents.forEach((e, i) => {
    const delayMs = Math.max(0, e.at - lastAt);
    if (e.bytes !== undefined) {
      frame = undefined;
      steps.push({ kind: 'bytes', bytes: new Uint8Array(Buffer.from(e.bytes, 'base64')), delayMs });
      lastAt = e.at;
      return;
    }
    const text = redacted ? (pieces[i] ?? '') : (e.text ?? '');
    if (frame && frame.key === e.origin.frame && frame.step.kind === 'tokens') {
      frame.step.tokens.push(text);
      return;
    }
    const step: PlanStep = { kind: 'tokens', tokens: [text], seq: e.origin.seq ?? e.origin.frame, delayMs };
    steps.push(step);
    frame = { key: e.origin.frame, step };
    lastAt = e.at;
  });
  if (redacted && pieces.length > tokenEvents.length) steps.push({ kind: 'tokens', tokens: pieces.slice(tokenEvents.length), seq: steps.length, delayMs: 0 });

  const endAt = t.durationMs ?? lastAt;
  const final = t.errors.filter((e) => !e.retry).at(-1);
  const lastSeq = [...steps].reverse().find((s) => s.kind === 'tokens');
  const doneSeq = lastSeq && lastSeq.kind === 'tokens' ? lastSeq.seq + 1 : 0;
  if (t.status === 'complete' || (t.status === 'incomplete' && !final)) {
    const reported = wireUsage(t);
    steps.push({ kind: 'done', tokens: [], seq: doneSeq, ...(reported ? { usage: reported } : {}), delayMs: Math.max(0, endAt - lastAt) });
    steps.push({ kind: 'close', code: 1000, reason: '', delayMs: 0 });
  } else if (final?.closeCode === 1006 || final?.cause === 'network') {
    steps.push({ kind: 'terminate', delayMs: Math.max(0, final.at - lastAt) });
  } else if (final?.cause === 'timeout') {
    steps.push({ kind: 'stall', delayMs: 0 });
  } else if (final?.cause === 'policy' || final?.closeCode === 1008) {
    steps.push({ kind: 'close', code: 1008, reason: 'token revoked', delayMs: Math.max(0, final.at - lastAt) });
  } else if (final) {
    steps.push({ kind: 'error', error: final.message, code: WIRE_CODE[final.cause] ?? 'internal', delayMs: Math.max(0, final.at - lastAt) });
    steps.push({ kind: 'close', code: final.closeCode ?? 1011, reason: 'internal error', delayMs: 0 });
  } else {
    // Cancelled or blocked by the local filter while recording: the upstream itself had answered in full.
    steps.push({ kind: 'done', tokens: [], seq: doneSeq, ...(wireUsage(t) ? { usage: wireUsage(t)! } : {}), delayMs: Math.max(0, endAt - lastAt) });
    steps.push({ kind: 'close', code: 1000, reason: '', delayMs: 0 });
  }
  return { answer, usage, steps };
}

function scale(plan: AnswerPlan, speed: number): AnswerPlan {
  if (speed === 1) return plan;
  return { ...plan, steps: plan.steps.map((s) => ({ ...s, delayMs: speed === 0 ? 0 : s.delayMs / speed })) };
}

function unknownInput(input: string, known: string[]): AnswerPlan {
  const list = known.slice(0, 5).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)).join(', ');
  const message = `no recorded answer for input ${JSON.stringify(input.slice(0, 80))}; the cassette answers: ${list}${known.length > 5 ? ', …' : ''}`;
  return {
    answer: '',
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    steps: [
      { kind: 'error', error: message, code: 'internal', delayMs: 0 },
      { kind: 'close', code: 1011, reason: 'no recorded answer', delayMs: 0 },
    ],
  };
}

export function cassetteAnswerSource(cassette: Cassette, opts: CassetteAnswerOptions = {}): AnswerSource {
  const speed = opts.speed ?? 1;
  if (!Number.isFinite(speed) || speed < 0) throw new RangeError(`speed must be a finite number ≥ 0, got ${speed}`);
  const turns = summarizeTurns(cassette.events);
  if (turns.length === 0) throw new Error('the cassette holds no turn to serve');
  const byInput = new Map<string, TurnRecord[]>();
  for (const t of turns) byInput.set(t.input, [...(byInput.get(t.input) ?? []), t]);
  const cursor = new Map<string, number>();
  let seqCursor = -1;

  return {
    plan(req: AnswerRequest): AnswerPlan {
      const first = req.attempt <= 1;
      let turn: TurnRecord | undefined;
      if (opts.match === 'sequence') {
        if (first) seqCursor = (seqCursor + 1) % turns.length;
        turn = turns[Math.max(0, seqCursor)];
      } else {
        const list = byInput.get(req.input);
        if (!list) return unknownInput(req.input, [...byInput.keys()]);
        const prev = cursor.get(req.input) ?? -1;
        const at = first ? (prev + 1) % list.length : Math.max(0, prev);
        cursor.set(req.input, at);
        turn = list[at];
      }
      return scale(planFromTurn(turn!, req.attempt), speed);
    },
  };
}
