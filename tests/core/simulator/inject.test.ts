// Management API context inject of the simulator: X-API-Key (or ?api_key=), 401, the 60 kB body limit
// (413), validation, merging into sim.contexts, the 1,000 requests / 5 min rate limit (429), and the refusal
// (404) of an inject naming a session and user no Socket Endpoint client has used.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INJECT_BODY_LIMIT_BYTES, type Simulator } from '../../../electron/core/simulator/index';
import { seeEndpointSession } from '../../helpers/simulator';
import { CREDS, post, startSim } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim();
  for (const [session, user] of [['sess-1', 'u1'], ['sess-q', 'u'], ['sess-big', 'u'], ['sess-idem', 'u']] as const) {
    await seeEndpointSession(sim, CREDS.urlToken, session, user);
  }
});
afterAll(() => sim.close());

const url = (session: string, s: Simulator = sim) => `${s.url}/new/v2.0/sessions/${encodeURIComponent(session)}/context/inject`;
const key = { 'x-api-key': CREDS.apiKey };

describe('context inject', () => {
  it('merges the injected context per session', async () => {
    const a = await post(url('sess-1'), { userId: 'u1', context: { llm_response: 'Hi', n: 1 } }, key);
    expect(a.status).toBe(200);
    const b = await post(url('sess-1'), { userId: 'u1', context: { n: 2, extra: true } }, key);
    expect(b.status).toBe(200);
    expect(sim.contexts.get('sess-1')).toEqual({ llm_response: 'Hi', n: 2, extra: true });
    expect(b.json.context).toEqual({ llm_response: 'Hi', n: 2, extra: true });
  });

  it('accepts the key as ?api_key=', async () => {
    const r = await post(`${url('sess-q')}?api_key=${encodeURIComponent(CREDS.apiKey)}`, { userId: 'u', context: { a: 1 } });
    expect(r.status).toBe(200);
  });

  it('answers 401 for a missing or wrong API key, without echoing it', async () => {
    const before = sim.stats.injectsApplied;
    const missing = await post(url('sess-2'), { userId: 'u', context: {} });
    expect(missing.status).toBe(401);
    const wrong = await post(url('sess-2'), { userId: 'u', context: {} }, { 'x-api-key': 'wrong-key-123' });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.json)).not.toContain('wrong-key-123');
    expect(sim.stats.injectsApplied).toBe(before);
  });

  it('answers 413 for a body over 60 kB and accepts one at the limit', async () => {
    const envelope = JSON.stringify({ userId: 'u', context: { big: '' } }).length;
    const atLimit = JSON.stringify({ userId: 'u', context: { big: 'x'.repeat(INJECT_BODY_LIMIT_BYTES - envelope) } });
    expect(Buffer.byteLength(atLimit)).toBe(INJECT_BODY_LIMIT_BYTES);
    expect((await post(url('sess-big'), atLimit, key)).status).toBe(200);
    const over = JSON.stringify({ userId: 'u', context: { big: 'x'.repeat(INJECT_BODY_LIMIT_BYTES - envelope + 1) } });
    const r = await post(url('sess-big2'), over, key);
    expect(r.status).toBe(413);
    expect(String(r.json.error_description)).toMatch(/60 kB/);
    expect(sim.contexts.has('sess-big2')).toBe(false);
    const huge = await post(url('sess-big3'), { userId: 'u', context: { big: 'y'.repeat(500_000) } }, key);
    expect(huge.status).toBe(413);
  });

  it.each([
    ['not JSON', '{"userId":'],
    ['no userId', { context: {} }],
    ['context not an object', { userId: 'u', context: 'x' }],
  ])('answers 400 for %s', async (_l, bad) => {
    expect((await post(url('sess-bad'), bad, key)).status).toBe(400);
  });

  it('applies a repeated Idempotency-Key once', async () => {
    const before = sim.stats.injectsApplied;
    const headers = { ...key, 'idempotency-key': 'inject-1' };
    expect((await post(url('sess-idem'), { userId: 'u', context: { a: 1 } }, headers)).status).toBe(200);
    expect((await post(url('sess-idem'), { userId: 'u', context: { a: 1 } }, headers)).status).toBe(200);
    expect(sim.stats.injectsApplied - before).toBe(1);
  });

  it('failNext("inject", 429) answers 429 with Retry-After', async () => {
    sim.failNext('inject', 429, { retryAfter: '5' });
    const r = await post(url('sess-f'), { userId: 'u', context: {} }, key);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('5');
  });

  it('answers 429 with Retry-After after 1,000 requests in 5 minutes from one client', async () => {
    const own = await startSim();
    try {
      await seeEndpointSession(own, CREDS.urlToken, 'sess-rl', 'u');
      const statuses: number[] = [];
      for (let batch = 0; batch < 50; batch++) {
        const rs = await Promise.all(Array.from({ length: 20 }, () => post(url('sess-rl', own), { userId: 'u', context: { i: 1 } }, key)));
        statuses.push(...rs.map((r) => r.status));
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      const over = await post(url('sess-rl', own), { userId: 'u', context: {} }, key);
      expect(over.status).toBe(429);
      const wait = Number(over.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(250);
      expect(wait).toBeLessThanOrEqual(300);
      expect(own.stats.injectRequests).toBe(1001);
      expect(own.stats.injectsApplied).toBe(1000);
    } finally {
      await own.close();
    }
  });

  it('refuses (404) an inject for a session no client opened, or for another user than the session\'s, and applies nothing', async () => {
    const before = sim.stats.injectsApplied;
    const refusedBefore = sim.stats.injectsUnknownSession;
    const unknown = await post(url('sess-never'), { userId: 'u1', context: { a: 1 } }, key);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'not_found' });
    expect(String(unknown.json.error_description)).toMatch(/no Socket Endpoint session "sess-never" has been seen/);
    const otherUser = await post(url('sess-1'), { userId: 'stream-debugger', context: { a: 1 } }, key);
    expect(otherUser.status).toBe(404);
    expect(String(otherUser.json.error_description)).toBe('session "sess-1" has no user "stream-debugger" (the Socket Endpoint saw "u1")');
    expect(sim.contexts.has('sess-never')).toBe(false);
    expect(sim.contexts.get('sess-1')).not.toHaveProperty('a');
    expect(sim.stats.injectsApplied).toBe(before);
    expect(sim.stats.injectsUnknownSession - refusedBefore).toBe(2);
  });

  it('a user who spoke in a session by processInput counts as seen there', async () => {
    const socket = io(sim.url, { path: sim.socketPath, query: { urlToken: CREDS.urlToken, sessionId: 'sess-pi', userId: 'u-conn' }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const ended = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no finalPing within 5 s')), 5_000);
        socket.on('finalPing', (_p: unknown, ack?: () => void) => {
          ack?.();
          clearTimeout(timer);
          resolve();
        });
        socket.on('output', (_p: unknown, ack?: () => void) => ack?.());
      });
      socket.emit('processInput', { URLToken: CREDS.urlToken, userId: 'u-input', sessionId: 'sess-pi', channel: 'socket-client', source: 'device', text: 'hi', data: {} });
      await ended;
    } finally {
      socket.close();
    }
    expect((await post(url('sess-pi'), { userId: 'u-input', context: { a: 1 } }, key)).status).toBe(200);
    expect((await post(url('sess-pi'), { userId: 'u-conn', context: { b: 1 } }, key)).status).toBe(200);
  });
});
