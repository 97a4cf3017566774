// Bad input from a Socket Endpoint (issue 12 §4): malformed outputs are reported as issues with the offending
// output kept, never crash the session and never lose the text before them; a flood of 10,000 outputs keeps
// memory bounded (measured: heap sampled during the flood, retained heap after GC) and loses nothing.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Environment } from '../../../../shared/environment';
import { MAX_KEPT_JSON, type SessionEvent } from '../../../../shared/events';
import { createEventBatcher } from '../../../../electron/core/app/event-batcher';
import { createScriptedAnswers, type Simulator } from '../../../../electron/core/simulator/index';
import { FLOOD_OUTPUTS } from '../../../../electron/core/simulator/socket-outputs';
import { createSessionEngine } from '../../../../electron/core/session/session-engine';
import { createMemoryStore } from '../../../../electron/core/secrets/memory-store';
import { CREDS, startSim } from '../../simulator/helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const environment = () =>
  Environment.parse({ name: 'sock', kind: 'socket-endpoint', socketEndpoint: { endpointUrl: `${sim.url}/${CREDS.urlToken}`, urlToken: CREDS.urlToken, userId: 'user-1' } });

describe('malformed outputs', () => {
  it('are issues with the offending output kept; the text before them survives; the session goes on', async () => {
    const engine = createSessionEngine({ environment: environment(), secrets: createMemoryStore({}), idleTimeoutMs: 5_000 });
    const events: SessionEvent[] = [];
    engine.subscribe((e) => events.push(e));
    try {
      const r = await engine.startTurn({ input: 'bad', scenario: 'malformed-outputs' });
      const issues = events.filter((e): e is Extract<SessionEvent, { type: 'frame.issue' }> => e.type === 'frame.issue');
      // The last is the reassembler's: the streamed message resumes after the bad-id output's own message.
      expect(issues.map((i) => i.kind)).toEqual(['malformed-frame', 'malformed-frame', 'malformed-frame', 'unknown-message', 'oversized-output', 'notice']);
      const [noData, notObject, badId, unknown, huge] = issues as [(typeof issues)[number], (typeof issues)[number], (typeof issues)[number], (typeof issues)[number], (typeof issues)[number]];
      expect(noData.detail).toMatch(/output 2 has no data/);
      expect(JSON.parse(noData.raw!)).toEqual({ type: 'output' });
      expect(notObject.detail).toMatch(/has data that is not an object but string/);
      expect(JSON.parse(notObject.raw!)).toEqual({ type: 'output', data: 'just a string' });
      expect(badId.detail).toMatch(/_messageId that is not a string but number \(42\)/);
      expect(unknown.detail).toMatch(/never saw open/);
      expect(huge.detail).toMatch(/enormous payload/);
      // Each issue names its output and sits where it happened in the text.
      expect(issues.slice(0, 5).map((i) => i.frame)).toEqual([2, 3, 4, 5, 6]);
      const tokens = events.filter((e): e is Extract<SessionEvent, { type: 'token' }> => e.type === 'token');
      const before = tokens.filter((t) => t.origin.frame < 2).map((t) => t.text).join('');
      expect(noData.position).toBe(before.length);
      // The enormous gallery is kept as a structured output, its JSON cut at the bound and flagged.
      const gallery = events.find((e): e is Extract<SessionEvent, { type: 'output.structured' }> => e.type === 'output.structured')!;
      expect(gallery).toMatchObject({ kind: 'rich-content', summary: 'gallery: 4,000 cards', truncated: true });
      expect(gallery.json!.length).toBe(MAX_KEPT_JSON);
      expect(gallery.bytes).toBeGreaterThan(300_000);
      // Nothing of the answer is lost: the text of the output with the bad id is kept as a message of its own.
      const answer = createScriptedAnswers().plan({ input: 'bad', scenario: 'malformed-outputs', attempt: 1 }).answer;
      expect(r.rawText.startsWith(before)).toBe(true);
      expect(r.rawText.replace('Numbered id. \n', '')).toBe(answer);
      expect(r.status).toBe('complete');
      // The session is alive: the next turn works.
      expect((await engine.startTurn({ input: 'still there?' })).status).toBe('complete');
    } finally {
      await engine.close();
    }
  });
});

describe('a flood of outputs', () => {
  it(`${FLOOD_OUTPUTS.toLocaleString('en-US')} outputs: nothing lost through the app's batching, heap bounded`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const engine = createSessionEngine({ environment: environment(), secrets: createMemoryStore({}), idleTimeoutMs: 10_000 });
    // What the app does with a session's events: batches of at most one per frame, counted, not kept.
    let delivered = 0;
    let batches = 0;
    let tokens = 0;
    let rawChars = 0;
    const batcher = createEventBatcher({
      send: (evs) => {
        batches++;
        delivered += evs.length;
        for (const e of evs) {
          if (e.type === 'token') tokens++;
          if (e.type === 'raw.text') rawChars += e.text.length;
        }
      },
    });
    let emitted = 0;
    let peak = 0;
    engine.subscribe((e) => {
      emitted++;
      batcher.push(e);
      if (emitted % 250 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    try {
      // Warm up (tokenizer, sockets), then measure from a collected heap.
      await engine.startTurn({ input: 'warm up' });
      batcher.flush();
      delivered = emitted = tokens = rawChars = batches = 0;
      gc();
      const base = process.memoryUsage().heapUsed;
      peak = base;
      const started = performance.now();
      const r = await engine.startTurn({ input: 'flood', scenario: 'output-flood' });
      const durationMs = performance.now() - started;
      batcher.flush();
      gc();
      const retained = process.memoryUsage().heapUsed - base;
      const expected = Array.from({ length: FLOOD_OUTPUTS }, (_, i) => `w${i} `).join('');
      expect(r.status).toBe('complete');
      expect(r.rawText).toBe(expected);
      expect(r.tokenCount).toBe(FLOOD_OUTPUTS);
      expect(delivered).toBe(emitted);
      expect(tokens).toBe(FLOOD_OUTPUTS);
      expect(rawChars).toBe(expected.length);
      // At most one batch per 16.7 ms frame (plus the turn-end flushes).
      expect(batches).toBeLessThanOrEqual(Math.ceil(durationMs / (1000 / 60)) + 4);
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      process.stdout.write(`flood: ${FLOOD_OUTPUTS} outputs in ${durationMs.toFixed(0)} ms, ${emitted} events in ${batches} batches, heap peak +${mb(peak - base)} MB, retained +${mb(retained)} MB\n`);
      // The bound: the turn holds its answer and per-token bookkeeping, never the outputs themselves.
      expect(peak - base).toBeLessThan(FLOOD_BOUND_PEAK_BYTES);
      expect(retained).toBeLessThan(FLOOD_BOUND_RETAINED_BYTES);
    } finally {
      batcher.close();
      await engine.close();
    }
  });
});

/** Stated bounds for 10,000 outputs: 64 MB of heap at the peak, 16 MB retained once the turn is over. */
const FLOOD_BOUND_PEAK_BYTES = 64 * 1024 * 1024;
const FLOOD_BOUND_RETAINED_BYTES = 16 * 1024 * 1024;
