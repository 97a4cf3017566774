// Answer sources: turn (input, scenario) into a plan of wire steps — data frames, binary frames, errors,
// closes, stalls — with their delays at speed 1. Both the gateway stream and the socket endpoint execute
// the same plan, so the two protocols tell the same story. A recorded cassette can later plug in as another
// AnswerSource. Must never do I/O or read the clock: a plan is a pure function of its request.
import type { ScenarioName } from '../../../shared/scenarios';
import { isHigh } from '../reassembly/surrogates';
import { createPrng, seedFrom, type Prng } from './prng';
import { answerParts, PART_SEPARATOR } from './scenarios';
import { bytesOfIds, chatPromptTokens, concat, textOfIds, tokenIds } from './tokenizer';

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type WireErrorCode = 'rate_limited' | 'timeout' | 'content_filtered' | 'internal';

export interface AnswerRequest {
  input: string;
  scenario: ScenarioName;
  /** 1 for the first attempt of this request (gateway: request_id; socket: session + text). */
  attempt: number;
  /** Simulator extension for benchmarks: repeat the answer body this many times (1..MAX_REPEAT). */
  repeat?: number;
}

/** One thing the server does on the wire. `delayMs` is the wait before it, at speed 1. */
export type PlanStep =
  | { kind: 'tokens'; tokens: string[]; seq: number; delayMs: number }
  | { kind: 'bytes'; bytes: Uint8Array; delayMs: number }
  | { kind: 'garbage'; text: string; delayMs: number }
  | { kind: 'done'; tokens: string[]; seq: number; usage?: WireUsage; delayMs: number }
  | { kind: 'error'; error: string; code: WireErrorCode; retryAfter?: number; delayMs: number }
  | { kind: 'close'; code: number; reason: string; revokeToken?: boolean; delayMs: number }
  | { kind: 'terminate'; delayMs: number }
  | { kind: 'stall'; delayMs: number };

export interface AnswerPlan {
  /** The whole answer as the model produced it (including parts a failure scenario never sends). */
  answer: string;
  usage: WireUsage;
  steps: PlanStep[];
}

export interface AnswerSource {
  plan(req: AnswerRequest): AnswerPlan;
}

export const MAX_REPEAT = 10_000;
export const GARBAGE_FRAME = '{"tokens":["this frame is cut off';

const FIRST_TOKEN_MS: [number, number] = [250, 350];
const TOKEN_GAP_MS: [number, number] = [20, 60];
const PLAN_CACHE_SIZE = 32;

interface Frame<T> {
  pieces: T[];
  delayMs: number;
}

/** Groups pieces into frames of 1-3, never past an index in `breakAfter`; delays per token. */
function group<T>(pieces: T[], prng: Prng, breakAfter: ReadonlySet<number> = new Set()): Frame<T>[] {
  const frames: Frame<T>[] = [];
  let i = 0;
  while (i < pieces.length) {
    let end = Math.min(pieces.length, i + prng.int(1, 3));
    for (let j = i; j < end - 1; j++) {
      if (breakAfter.has(j)) {
        end = j + 1;
        break;
      }
    }
    let delayMs = frames.length === 0 ? prng.int(...FIRST_TOKEN_MS) : 0;
    for (let j = i; j < end; j++) delayMs += prng.int(...TOKEN_GAP_MS);
    frames.push({ pieces: pieces.slice(i, end), delayMs });
    i = end;
  }
  return frames;
}

/**
 * Splits each piece holding an astral character between its surrogates: the first part ends with a lone
 * high surrogate, the next starts with the low one. Returns the index of the first high-ending piece.
 */
export function splitSurrogates(pieces: string[]): { pieces: string[]; firstSplit: number } {
  const out: string[] = [];
  let firstSplit = -1;
  for (const p of pieces) {
    let at = -1;
    for (let k = 0; k < p.length - 1; k++) {
      if (isHigh(p.charCodeAt(k))) {
        at = k + 1;
        break;
      }
    }
    if (at < 0) {
      out.push(p);
      continue;
    }
    out.push(p.slice(0, at));
    if (firstSplit < 0) firstSplit = out.length - 1;
    out.push(p.slice(at));
  }
  return { pieces: out, firstSplit };
}

/** Binary frames; guarantees at least one frame boundary inside a multi-byte character when there is one. */
function binaryFrames(pieces: Uint8Array[], prng: Prng): Frame<Uint8Array>[] {
  const frames = group(pieces, prng).map((f) => ({ pieces: [concatAll(f.pieces)], delayMs: f.delayMs }));
  const splitsAChar = frames.some((f, i) => i > 0 && (((f.pieces[0] as Uint8Array)[0] ?? 0) & 0xc0) === 0x80);
  if (splitsAChar) return frames;
  // No boundary falls inside a character: cut the frame holding the first multi-byte character in two.
  for (let fi = 0; fi < frames.length; fi++) {
    const f = frames[fi] as Frame<Uint8Array>;
    const bytes = f.pieces[0] as Uint8Array;
    const lead = bytes.findIndex((b) => b >= 0xc0);
    if (lead < 0 || lead + 1 >= bytes.length) continue;
    const half = Math.max(1, Math.floor(f.delayMs / 2));
    frames.splice(fi, 1, { pieces: [bytes.slice(0, lead + 1)], delayMs: half }, { pieces: [bytes.slice(lead + 1)], delayMs: half });
    break;
  }
  return frames;
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  return parts.reduce((a, b) => concat(a, b), new Uint8Array(0));
}

/** The scripted answers of the built-in scenarios (see scenarios.ts for what each one does). */
export function createScriptedAnswers(): AnswerSource {
  const cache = new Map<string, AnswerPlan>();
  const cut = createCutMemo();
  return {
    plan(req) {
      const repeat = req.repeat ?? 1;
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) {
        throw new RangeError(`repeat must be an integer 1..${MAX_REPEAT}, got ${repeat}`);
      }
      // Only rate-limit depends on the attempt, and only on whether it is the first.
      const phase = req.scenario === 'rate-limit' && req.attempt <= 1 ? 'first' : 'retry';
      const key = `${req.scenario}\u0000${phase}\u0000${repeat}\u0000${req.input}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const plan = buildPlan(req.input, req.scenario, phase === 'first', repeat, cut);
      if (cache.size >= PLAN_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(key, plan);
      return plan;
    },
  };
}

/**
 * BPE cuts of answer parts, memoised: a repeated answer (benchmarks: 100k tokens) is a few distinct bodies,
 * so each is encoded once instead of encoding megabytes of text on the event loop. For a one-part answer the
 * cut is exactly the BPE encoding of the whole answer.
 */
interface CutMemo {
  text(parts: string[]): string[];
  bytes(parts: string[]): Uint8Array[];
  count(parts: string[]): number;
}

const MEMO_SIZE = 64;

function createCutMemo(): CutMemo {
  const ids = new Map<string, number[]>();
  const texts = new Map<string, string[]>();
  const bytes = new Map<string, Uint8Array[]>();
  const memo = <T>(m: Map<string, T>, key: string, make: () => T): T => {
    let v = m.get(key);
    if (v === undefined) {
      v = make();
      if (m.size >= MEMO_SIZE) m.delete(m.keys().next().value as string);
      m.set(key, v);
    }
    return v;
  };
  const each = <T>(parts: string[], one: (p: string) => T[]): T[] => {
    const out: T[] = [];
    parts.forEach((p, i) => {
      if (i > 0) for (const x of one(PART_SEPARATOR)) out.push(x);
      for (const x of one(p)) out.push(x);
    });
    return out;
  };
  // Each part is encoded once; its count, bytes and text pieces all come from its ids.
  const idsOf = (p: string) => memo(ids, p, () => tokenIds(p));
  const bytesOf = (p: string) => memo(bytes, p, () => bytesOfIds(idsOf(p)));
  const textOf = (p: string) => memo(texts, p, () => textOfIds(idsOf(p)));
  return {
    text: (parts) => each(parts, textOf),
    bytes: (parts) => each(parts, bytesOf),
    count: (parts) => each(parts, idsOf).length,
  };
}

function buildPlan(input: string, scenario: ScenarioName, firstAttempt: boolean, repeat: number, cut: CutMemo): AnswerPlan {
  const prng = createPrng(seedFrom(scenario, input, String(repeat)));
  const parts = answerParts(scenario, input, prng, repeat);
  const answer = parts.join(PART_SEPARATOR);
  const prompt = chatPromptTokens(input);
  const completion = cut.count(parts);
  const usage: WireUsage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  const steps: PlanStep[] = [];

  if (scenario === 'rate-limit' && firstAttempt) {
    steps.push({ kind: 'error', error: 'rate limit exceeded', code: 'rate_limited', retryAfter: 1, delayMs: prng.int(80, 120) });
    steps.push({ kind: 'close', code: 1013, reason: 'try again later', delayMs: 0 });
    return { answer, usage, steps };
  }

  if (scenario === 'binary-utf8') {
    for (const f of binaryFrames(cut.bytes(parts), prng)) steps.push({ kind: 'bytes', bytes: f.pieces[0] as Uint8Array, delayMs: f.delayMs });
    steps.push({ kind: 'done', tokens: [], seq: 0, usage, delayMs: prng.int(...TOKEN_GAP_MS) });
    steps.push({ kind: 'close', code: 1000, reason: '', delayMs: 0 });
    return { answer, usage, steps };
  }

  let pieces = cut.text(parts);
  const breakAfter = new Set<number>();
  if (scenario === 'emoji-split') {
    const split = splitSurrogates(pieces);
    pieces = split.pieces;
    if (split.firstSplit >= 0) breakAfter.add(split.firstSplit);
  }
  const frames = group(pieces, prng, breakAfter);
  const n = frames.length;
  const data = (i: number): PlanStep => {
    const f = frames[i] as Frame<string>;
    return { kind: 'tokens', tokens: f.pieces, seq: i, delayMs: f.delayMs };
  };
  // Where a failure strikes: after some frames, never before the second one nor at the last.
  const failAt = Math.min(Math.max(2, Math.floor(n * 0.4)), Math.max(1, n - 1));

  switch (scenario) {
    case 'stall':
      for (let i = 0; i < Math.min(3, n - 1); i++) steps.push(data(i));
      steps.push({ kind: 'stall', delayMs: 0 });
      return { answer, usage, steps };
    case 'drop':
      for (let i = 0; i < failAt; i++) steps.push(data(i));
      steps.push({ kind: 'terminate', delayMs: prng.int(...TOKEN_GAP_MS) });
      return { answer, usage, steps };
    case 'revoked':
      for (let i = 0; i < failAt; i++) steps.push(data(i));
      steps.push({ kind: 'close', code: 1008, reason: 'token revoked', revokeToken: true, delayMs: prng.int(...TOKEN_GAP_MS) });
      return { answer, usage, steps };
    case 'server-error':
      for (let i = 0; i < failAt; i++) steps.push(data(i));
      steps.push({ kind: 'error', error: 'internal server error', code: 'internal', delayMs: prng.int(...TOKEN_GAP_MS) });
      steps.push({ kind: 'close', code: 1011, reason: 'internal error', delayMs: 0 });
      return { answer, usage, steps };
    default:
      break;
  }

  const dup = Math.max(1, Math.floor(n / 3));
  const gap = Math.max(1, Math.floor(n / 2));
  for (let i = 0; i < n - 1; i++) {
    if (scenario === 'seq-gap' && i === gap) continue;
    steps.push(data(i));
    if (scenario === 'duplicate-seq' && i === dup) steps.push({ ...(data(i)), delayMs: prng.int(...TOKEN_GAP_MS) });
    if (scenario === 'malformed-frame' && i === failAt) steps.push({ kind: 'garbage', text: GARBAGE_FRAME, delayMs: prng.int(...TOKEN_GAP_MS) });
  }
  const last = frames[n - 1] as Frame<string>;
  steps.push({ kind: 'done', tokens: last.pieces, seq: n - 1, ...(scenario === 'no-usage' ? {} : { usage }), delayMs: last.delayMs });
  steps.push({ kind: 'close', code: 1000, reason: '', delayMs: 0 });
  return { answer, usage, steps };
}
