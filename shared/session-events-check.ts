// The check of `main:session.events` pushes where they arrive (the IPC client, in the page and the preload).
// The bridge is a trust boundary, so every payload is checked; but at 20,000 tokens/s zod's walk of each event
// was ~10% of the renderer's main thread. The payload goes first through a checker compiled from the channel's
// schema itself (zod-fast-check.ts, `reuse`: the payload as it came, no copy), so the schema stays the one
// place that says what a batch may hold; a payload it is unsure of goes through zod whole. Same outcome as
// zod's parse: the fast check accepts only what zod accepts, with no key zod would strip, and anything else is
// zod's, so its error names the same path in the same words (tests/shared/session-events-check.test.ts
// compares them on generated input).
import type { z } from 'zod';
import type { BatchEvent } from './session-batch';
import { compileFastCheck } from './zod-fast-check';

/** The schema whose outcome this reproduces (ipc.ts passes pushChannels['main:session.events']). */
type PayloadSchema = z.ZodType<{ sessionId: string; batch: number; events: BatchEvent[] }>;
export type SessionEventsPayload = z.infer<PayloadSchema>;
export type CheckResult = { success: true; data: SessionEventsPayload } | { success: false; error: z.ZodError };

/** One compiled checker per schema (there is one: the channel's). */
const compiled = new WeakMap<PayloadSchema, (v: unknown) => SessionEventsPayload | undefined>();

/** zod's `schema.safeParse(payload)`, through the compiled fast check first. */
export function checkSessionEvents(schema: PayloadSchema, payload: unknown): CheckResult {
  let fast = compiled.get(schema);
  if (!fast) compiled.set(schema, (fast = compileFastCheck(schema, { reuse: true })));
  const data = fast(payload);
  return data !== undefined ? { success: true, data } : schema.safeParse(payload);
}
