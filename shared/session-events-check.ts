// The check of `main:session.events` pushes where they arrive (the IPC client, in the page and the preload).
// The bridge is a trust boundary, so every event is checked; but at 20,000 tokens/s zod's walk of each event
// was ~10% of the renderer's main thread. The three kinds that come once per token or release (token,
// raw.text, filtered.text) get a hand-written check of exactly their schema; every other kind, and anything
// the hand check does not accept, goes through zod as before. Same outcome as zod's parse of the whole
// payload, by construction: the hand check accepts only what zod accepts and returns unchanged (no unknown
// key, which zod would strip), and a payload with any fault is parsed by zod whole, so its error names the
// same path in the same words (tests/shared/session-events-check.test.ts compares them on generated input).
import type { z } from 'zod';
import { FILTER_ACTIONS } from './filter-actions';
import { BatchEvent } from './session-batch';

/** The schema whose outcome this reproduces (ipc.ts passes pushChannels['main:session.events']). */
type PayloadSchema = z.ZodType<{ sessionId: string; batch: number; events: BatchEvent[] }>;
export type SessionEventsPayload = z.infer<PayloadSchema>;
export type CheckResult = { success: true; data: SessionEventsPayload } | { success: false; error: z.ZodError };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
// zod 4: numbers are finite; int() means a safe integer.
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const nonNegNum = (v: unknown) => num(v) && (v as number) >= 0;
const nonNegInt = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const optNonNegInt = (v: unknown) => v === undefined || nonNegInt(v);
const ACTIONS: ReadonlySet<unknown> = new Set(FILTER_ACTIONS);

/** Every own enumerable key of `o` is one of `keys` (zod would strip any other: then zod decides). */
function onlyKeys(o: Obj, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false;
  // A prototype other than Object's could make `in`/reads differ from zod's view: leave those to zod.
  return Object.getPrototypeOf(o) === Object.prototype;
}

const ORIGIN_KEYS = new Set(['frame', 'seq', 'messageId', 'kind', 'source', 'traceId', 'disableSensitiveLogging']);
function origin(o: unknown): boolean {
  return (
    isObj(o) &&
    onlyKeys(o, ORIGIN_KEYS) &&
    nonNegInt(o.frame) &&
    optNonNegInt(o.seq) &&
    optStr(o.messageId) &&
    (o.kind === 'text' || o.kind === 'binary') &&
    optStr(o.source) &&
    optStr(o.traceId) &&
    (o.disableSensitiveLogging === undefined || typeof o.disableSensitiveLogging === 'boolean')
  );
}

const TOKEN_KEYS = new Set(['type', 'turnId', 'at', 'index', 'text', 'bytes', 'origin']);
const TOKEN_RAW_KEYS = new Set([...TOKEN_KEYS, 'rawStart']);
const token = (e: Obj, keys = TOKEN_KEYS) =>
  onlyKeys(e, keys) && typeof e.turnId === 'string' && nonNegNum(e.at) && nonNegInt(e.index) && optStr(e.text) && optStr(e.bytes) && origin(e.origin);

const RAW_KEYS = new Set(['type', 'turnId', 'at', 'start', 'text', 'token', 'joined', 'joinedFrom', 'byteStart', 'byteEnd', 'separator']);
const rawText = (e: Obj) =>
  onlyKeys(e, RAW_KEYS) &&
  typeof e.turnId === 'string' &&
  nonNegNum(e.at) &&
  nonNegInt(e.start) &&
  typeof e.text === 'string' &&
  nonNegInt(e.token) &&
  (e.joined === undefined || e.joined === 'surrogate' || e.joined === 'utf8-split') &&
  optNonNegInt(e.joinedFrom) &&
  optNonNegInt(e.byteStart) &&
  optNonNegInt(e.byteEnd) &&
  (e.separator === undefined || e.separator === true);

const HIT_KEYS = new Set(['type', 'action', 'rawStart', 'rawEnd', 'outStart', 'outEnd']);
const hit = (h: unknown) =>
  isObj(h) && onlyKeys(h, HIT_KEYS) && typeof h.type === 'string' && ACTIONS.has(h.action) && nonNegInt(h.rawStart) && nonNegInt(h.rawEnd) && nonNegInt(h.outStart) && nonNegInt(h.outEnd);

const FILTERED_KEYS = new Set(['type', 'turnId', 'at', 'start', 'text', 'hits', 'holdback', 'holdbackReason']);
function filteredText(e: Obj): boolean {
  if (!onlyKeys(e, FILTERED_KEYS) || typeof e.turnId !== 'string' || !nonNegNum(e.at) || !nonNegInt(e.start) || typeof e.text !== 'string' || !nonNegInt(e.holdback)) return false;
  if (!Array.isArray(e.hits) || !Array.isArray(e.holdbackReason)) return false;
  for (const h of e.hits) if (!hit(h)) return false;
  for (const r of e.holdbackReason) if (typeof r !== 'string') return false;
  return true;
}

/** Whether `e` is one of the hot kinds and valid as it stands (false: let zod decide). */
export function isValidHotEvent(e: unknown): boolean {
  if (!isObj(e)) return false;
  switch (e.type) {
    case 'token':
      return token(e);
    case 'token+raw':
      return token(e, TOKEN_RAW_KEYS) && nonNegInt(e.rawStart);
    case 'raw.text':
      return rawText(e);
    case 'filtered.text':
      return filteredText(e);
    default:
      return false;
  }
}

const ENVELOPE_KEYS = new Set(['sessionId', 'batch', 'events']);

/** zod's `schema.safeParse(payload)`, with the hot kinds checked by hand. */
export function checkSessionEvents(schema: PayloadSchema, payload: unknown): CheckResult {
  if (!isObj(payload) || typeof payload.sessionId !== 'string' || !payload.sessionId || !nonNegInt(payload.batch) || !Array.isArray(payload.events) || !onlyKeys(payload, ENVELOPE_KEYS)) {
    return schema.safeParse(payload);
  }
  const events = payload.events as unknown[];
  /** Copied on the first event zod rebuilt (its output is a new object), so the input array stays as given. */
  let out: unknown[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (isValidHotEvent(e)) continue;
    const r = BatchEvent.safeParse(e);
    // Any fault: the whole payload through zod, for its error in its words (rare; never applied).
    if (!r.success) return schema.safeParse(payload);
    (out ??= events.slice())[i] = r.data;
  }
  return { success: true, data: { sessionId: payload.sessionId, batch: payload.batch as number, events: (out ?? events) as BatchEvent[] } };
}
