// The check of `main:session.events` pushes where they arrive (the IPC client, in the page and the preload).
// The bridge is a trust boundary, so every event is checked; but at 20,000 tokens/s zod's walk of each event
// was ~10% of the renderer's main thread. Each event goes first through a checker compiled from the event
// schema itself (zod-fast-check.ts, `reuse`: the event as it came, no copy); anything it is unsure of goes
// through zod as before. Same outcome as zod's parse of the whole payload: the fast check accepts only what
// zod accepts, with no key zod would strip, and a payload with any fault is parsed by zod whole, so its
// error names the same path in the same words (tests/shared/session-events-check.test.ts compares them on
// generated input).
import type { z } from 'zod';
import { BatchEvent } from './session-batch';
import { compileUnionFastCheck } from './zod-fast-check';

/** The schema whose outcome this reproduces (ipc.ts passes pushChannels['main:session.events']). */
type PayloadSchema = z.ZodType<{ sessionId: string; batch: number; events: BatchEvent[] }>;
export type SessionEventsPayload = z.infer<PayloadSchema>;
export type CheckResult = { success: true; data: SessionEventsPayload } | { success: false; error: z.ZodError };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonNegInt = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** Every own enumerable key of `o` is one of `keys` (zod would strip any other: then zod decides). */
function onlyKeys(o: Obj, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k)) return false;
  return Object.getPrototypeOf(o) === Object.prototype;
}

// The batch's own union: the session events and the token+raw pair (session-batch.ts).
const fastEvent = compileUnionFastCheck(BatchEvent, { reuse: true });

const ENVELOPE_KEYS = new Set(['sessionId', 'batch', 'events']);

/** zod's `schema.safeParse(payload)`, with every event through the compiled fast check first. */
export function checkSessionEvents(schema: PayloadSchema, payload: unknown): CheckResult {
  if (!isObj(payload) || typeof payload.sessionId !== 'string' || !payload.sessionId || !nonNegInt(payload.batch) || !Array.isArray(payload.events) || !onlyKeys(payload, ENVELOPE_KEYS)) {
    return schema.safeParse(payload);
  }
  const events = payload.events as unknown[];
  /** Copied on the first event zod rebuilt (its output is a new object), so the input array stays as given. */
  let out: unknown[] | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (fastEvent(e) !== undefined) continue;
    const r = BatchEvent.safeParse(e);
    // Any fault: the whole payload through zod, for its error in its words (rare; never applied).
    if (!r.success) return schema.safeParse(payload);
    (out ??= events.slice())[i] = r.data;
  }
  return { success: true, data: { sessionId: payload.sessionId, batch: payload.batch as number, events: (out ?? events) as BatchEvent[] } };
}
