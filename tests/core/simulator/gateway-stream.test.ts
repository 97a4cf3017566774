// The gateway stream of the simulator, observed with a raw `ws` client over real loopback sockets: the
// handshake (401/403/429), the request frame, and every scenario's frames, seq numbers, binary splits and
// close codes exactly as they arrive on the wire.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { encodeChat } from 'gpt-tokenizer/model/gpt-4o';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScriptedAnswers, PII_SAMPLES, type Simulator } from '../../../electron/core/simulator/index';
import { isHigh, isLow } from '../../../electron/core/reassembly/surrogates';
import type { ScenarioName } from '../../../shared/scenarios';
import { CREDS, getToken, isWellFormed, post, rawStream, refusedHandshake, startSim, textOf, tokensOf, type StreamResult } from './helpers';
import { seeEndpointSession, statsUntil } from '../../helpers/simulator';
import { createChanges } from '../../helpers/until';

let sim: Simulator;
let token: string;
let n = 0;
const rid = () => `req-${++n}`;
beforeAll(async () => {
  sim = await startSim({ pingIntervalMs: 100 });
  token = await getToken(sim);
});
afterAll(() => sim.close());

const INPUT = 'How do I name my variables?';
const answerFor = (scenario: ScenarioName, input = INPUT) => createScriptedAnswers().plan({ input, scenario, attempt: 2 }).answer;
const run = (scenario: ScenarioName, extra: Record<string, unknown> = {}) => rawStream(sim, token, { request_id: rid(), input: INPUT, scenario, ...extra });
const seqs = (r: StreamResult) => r.json.filter((f) => typeof f.seq === 'number').map((f) => f.seq as number);
const done = (r: StreamResult) => r.json.find((f) => f.done === true);

describe('handshake', () => {
  it('refuses a missing or unknown Bearer token with HTTP 401', async () => {
    const none = await refusedHandshake(sim, {});
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: 'invalid_token' });
    expect((await refusedHandshake(sim, { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('refuses a token without llm:stream with 403 naming it', async () => {
    const r = await refusedHandshake(sim, { Authorization: `Bearer ${await getToken(sim, 'api:access')}` });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: 'insufficient_scope', error_description: 'missing scope llm:stream' });
  });

  it('failNext("stream-handshake", 429) answers HTTP 429 with Retry-After, then accepts', async () => {
    sim.failNext('stream-handshake', 429, { retryAfter: '7' });
    const r = await refusedHandshake(sim, { Authorization: `Bearer ${token}` });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('7');
    const ok = await run('happy');
    expect(ok.code).toBe(1000);
  });

  it('refuses WebSocket upgrades on other paths', async () => {
    const { default: WebSocket } = await import('ws');
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/api/v2/other`);
      ws.on('error', () => undefined);
      ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(404);
  });
});

describe('request frame', () => {
  it.each([
    ['not JSON', '{"type":"request"', /not valid JSON/],
    ['not a request', JSON.stringify({ type: 'hello' }), /"type" must be "request"/],
    ['without request_id', JSON.stringify({ type: 'request', session_id: 's', dialog_id: 'd', input: 'x' }), /request_id/],
    ['without input', JSON.stringify({ type: 'request', request_id: 'r', session_id: 's', dialog_id: 'd' }), /input/],
    ['with an unknown scenario', JSON.stringify({ type: 'request', request_id: 'r', session_id: 's', dialog_id: 'd', input: 'x', scenario: 'nope' }), /unknown scenario "nope"; valid: happy, pii/],
  ])('a request frame %s gets an error frame (code internal) and close 1008', async (_l, frame, message) => {
    const r = await rawStream(sim, token, frame);
    expect(r.json).toHaveLength(1);
    expect(r.json[0]).toMatchObject({ code: 'internal' });
    expect(String(r.json[0]?.error)).toMatch(message);
    expect(r.code).toBe(1008);
  });

  it('a binary request frame gets an error frame and close 1003', async () => {
    const r = await rawStream(sim, token, Buffer.from('{"type":"request"}'));
    expect(r.json[0]).toMatchObject({ code: 'internal' });
    expect(r.code).toBe(1003);
  });
});

describe('scenarios on the wire', () => {
  it('happy: JSON frames of 1-3 tokens, seq 0..n-1, done with usage from the BPE tokenizer, close 1000', async () => {
    const r = await run('happy');
    expect(r.code).toBe(1000);
    expect(r.frames.every((f) => f.kind === 'text')).toBe(true);
    const s = seqs(r);
    expect(s).toEqual(s.map((_, i) => i));
    for (const t of tokensOf(r)) {
      expect(t.length).toBeGreaterThanOrEqual(1);
      expect(t.length).toBeLessThanOrEqual(3);
    }
    expect(r.json.slice(0, -1).every((f) => f.done === false)).toBe(true);
    const last = r.json.at(-1) as Record<string, unknown>;
    expect(last.done).toBe(true);
    const text = textOf(r);
    expect(text).toBe(answerFor('happy'));
    expect(text.split('\n').length).toBeGreaterThan(3);
    expect(text).toMatch(/^- .*`snake_case`/m);
    expect(text).toContain('https://docs.cognigy.com/ai/');
    expect(text).toContain('2*3');
    const prompt = encodeChat([{ role: 'user', content: INPUT }]).length;
    const completion = encode(text).length;
    expect(last.usage).toEqual({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
    // Real BPE fragments: words are split off with their leading space, the URL is cut in pieces.
    expect(tokensOf(r).flat()).toContain(' variables');
    expect(tokensOf(r).flat().filter((t) => 'https://docs.cognigy.com/ai/'.includes(t)).length).toBeGreaterThan(3);
  });

  it('pii: card, e-mail, IBAN and phone each split across frames', async () => {
    const r = await run('pii');
    expect(r.code).toBe(1000);
    const frames = tokensOf(r).map((t) => t.join(''));
    const text = frames.join('');
    expect(text).toBe(answerFor('pii'));
    let offset = 0;
    const boundaries = frames.map((f) => (offset += f.length));
    for (const sample of Object.values(PII_SAMPLES)) {
      const start = text.indexOf(sample);
      expect(start).toBeGreaterThanOrEqual(0);
      const inside = boundaries.filter((b) => b > start && b < start + sample.length);
      expect(inside.length, `${sample} should be split across frames`).toBeGreaterThan(0);
    }
  });

  it('emoji-split: a token ends with a lone high surrogate and the next frame starts with the low one', async () => {
    const r = await run('emoji-split');
    expect(r.code).toBe(1000);
    const frames = tokensOf(r);
    const acrossFrames = frames.some((t, i) => {
      const lastTok = t.at(-1) ?? '';
      const next = frames[i + 1]?.[0] ?? '';
      return isHigh(lastTok.charCodeAt(lastTok.length - 1)) && isLow(next.charCodeAt(0));
    });
    expect(acrossFrames).toBe(true);
    // The raw JSON carries the halves as escapes, and joined they are the emoji.
    expect(r.frames.some((f) => f.kind === 'text' && /"\\ud83[c-f]"/.test(f.text))).toBe(true);
    const text = textOf(r);
    expect(text).toBe(answerFor('emoji-split'));
    expect(isWellFormed(text)).toBe(true);
    expect(text).toContain('😀');
  });

  it('binary-utf8: raw UTF-8 in binary frames, split inside characters; done stays a JSON text frame', async () => {
    const r = await run('binary-utf8');
    expect(r.code).toBe(1000);
    const bin = r.frames.filter((f) => f.kind === 'binary').map((f) => f.bytes);
    expect(bin.length).toBeGreaterThan(5);
    const strict = new TextDecoder('utf-8', { fatal: true });
    const undecodable = bin.filter((b) => {
      try {
        strict.decode(b);
        return false;
      } catch {
        return true;
      }
    });
    expect(undecodable.length).toBeGreaterThan(0);
    expect(strict.decode(Buffer.concat(bin))).toBe(answerFor('binary-utf8'));
    const texts = r.frames.filter((f) => f.kind === 'text');
    expect(texts).toHaveLength(1);
    expect(r.frames.at(-1)?.kind).toBe('text');
    expect(done(r)).toMatchObject({ tokens: [], done: true, seq: 0, usage: { completion_tokens: encode(answerFor('binary-utf8')).length } });
  });

  it('rate-limit: first attempt error rate_limited + 1013; retry with the same request_id succeeds; then 429s on variables and inject', async () => {
    const id = rid();
    const request = { request_id: id, input: INPUT, scenario: 'rate-limit', session_id: 'sess-rl', dialog_id: 'dlg-rl' };
    const first = await rawStream(sim, token, request);
    expect(first.json).toEqual([{ error: 'rate limit exceeded', code: 'rate_limited', retry_after: 1 }]);
    expect(first.code).toBe(1013);
    const retry = await rawStream(sim, token, request);
    expect(retry.code).toBe(1000);
    expect(textOf(retry)).toBe(answerFor('rate-limit'));
    const other = await rawStream(sim, token, { ...request, request_id: rid() });
    expect(other.code).toBe(1013);

    const vars = { variables: [{ name: 'llm_response', value: 'x' }] };
    const varsUrl = `${sim.url}/api/v2/bot/dialog/dlg-rl/variables`;
    const v1 = await post(varsUrl, vars, { authorization: `Bearer ${token}`, 'idempotency-key': 'k-rl' });
    expect(v1.status).toBe(429);
    expect(v1.headers.get('retry-after')).toBe('1');
    expect((await post(varsUrl, vars, { authorization: `Bearer ${token}`, 'idempotency-key': 'k-rl' })).status).toBe(200);
    // An inject must name a session a Socket Endpoint client opened.
    await seeEndpointSession(sim, CREDS.urlToken, 'sess-rl', 'u');
    const injUrl = `${sim.url}/new/v2.0/sessions/sess-rl/context/inject`;
    const i1 = await post(injUrl, { userId: 'u', context: { a: 1 } }, { 'x-api-key': 'sim-api-key' });
    expect(i1.status).toBe(429);
    expect(i1.headers.get('retry-after')).toBe('1');
    expect((await post(injUrl, { userId: 'u', context: { a: 1 } }, { 'x-api-key': 'sim-api-key' })).status).toBe(200);
  });

  it('stall: a few frames, then no frames and no pings (not even pongs) while the socket stays open', async () => {
    const { default: WebSocket } = await import('ws');
    const stallsBefore = sim.stats.stalls;
    const changes = createChanges();
    let client: InstanceType<typeof WebSocket> | undefined;
    let frames = 0;
    const result = rawStream(sim, token, { request_id: rid(), input: INPUT, scenario: 'stall' }, (_f, ws) => {
      client = ws;
      frames++;
      changes.notify();
    });
    await statsUntil(sim, (s) => s.stalls > stallsBefore, 'the stall scenario to go silent');
    // Everything the server sent before going silent has arrived (three frames).
    const c = await changes.until(() => frames >= 3 && client, 'the three frames before the stall', 5_000);
    let pingsWhileStalled = 0;
    c.on('ping', () => pingsWhileStalled++);
    // The server's own ping clock, seen on a second socket that is waiting for its request: three of its
    // pings prove three ping intervals passed while the stalled socket stayed open and silent.
    const witness = new WebSocket(`${sim.url.replace('http', 'ws')}/api/v2/llm/stream`, { headers: { Authorization: `Bearer ${token}` } });
    let witnessPings = 0;
    witness.on('ping', () => {
      witnessPings++;
      changes.notify();
    });
    await changes.until(() => witnessPings >= 3, 'three pings on the witness socket', 5_000);
    witness.close();
    expect(c.readyState).toBe(WebSocket.OPEN);
    expect(pingsWhileStalled).toBe(0);
    // A ping now must not be answered: the server handles frames in order, so a pong would arrive before
    // its answer to our close.
    let pongs = 0;
    c.on('pong', () => pongs++);
    c.ping();
    c.close(1000, 'giving up');
    const r = await result;
    expect(tokensOf(r).length).toBe(3);
    expect(done(r)).toBeUndefined();
    expect(pongs).toBe(0);
  });

  it('pings every pingIntervalMs while streaming (here: while waiting for the request)', async () => {
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/api/v2/llm/stream`, { headers: { Authorization: `Bearer ${token}` } });
    const changes = createChanges();
    const at: number[] = [];
    ws.on('ping', () => {
      at.push(performance.now());
      changes.notify();
    });
    await changes.until(() => at.length >= 3, 'three pings', 5_000);
    ws.close();
    // pingIntervalMs is 100: the gaps are the interval (timers never fire early; the upper bound is generous
    // for a loaded machine but far below "no ping clock at all").
    for (const gap of [at[1]! - at[0]!, at[2]! - at[1]!]) {
      expect(gap).toBeGreaterThanOrEqual(95);
      expect(gap).toBeLessThan(2_000);
    }
  });

  it('drop: some frames, then the connection is destroyed (1006), no done', async () => {
    const r = await run('drop');
    expect(r.code).toBe(1006);
    expect(tokensOf(r).length).toBeGreaterThan(1);
    expect(done(r)).toBeUndefined();
    expect(answerFor('drop').startsWith(textOf(r))).toBe(true);
  });

  it('revoked: some frames, then close 1008 "token revoked"; the token is revoked', async () => {
    const own = await getToken(sim);
    const r = await rawStream(sim, own, { request_id: rid(), input: INPUT, scenario: 'revoked' });
    expect(r.code).toBe(1008);
    expect(r.reason).toBe('token revoked');
    expect(tokensOf(r).length).toBeGreaterThan(1);
    expect(done(r)).toBeUndefined();
    expect((await refusedHandshake(sim, { Authorization: `Bearer ${own}` })).status).toBe(401);
  });

  it('server-error: some frames, error code internal, close 1011', async () => {
    const r = await run('server-error');
    expect(r.code).toBe(1011);
    expect(tokensOf(r).length).toBeGreaterThan(1);
    expect(r.json.at(-1)).toEqual({ error: 'internal server error', code: 'internal' });
  });

  it('duplicate-seq: one frame re-sent with the same seq; dropping it gives the whole answer', async () => {
    const r = await run('duplicate-seq');
    expect(r.code).toBe(1000);
    const s = seqs(r);
    const dups = s.filter((v, i) => s.indexOf(v) !== i);
    expect(dups).toHaveLength(1);
    const copies = r.json.filter((f) => f.seq === dups[0]);
    expect(copies[0]).toEqual(copies[1]);
    const unique = new Map<number, string[]>();
    for (const f of r.json) if (Array.isArray(f.tokens) && !unique.has(f.seq as number)) unique.set(f.seq as number, f.tokens as string[]);
    expect([...unique.values()].flat().join('')).toBe(answerFor('duplicate-seq'));
  });

  it('seq-gap: one seq skipped and its tokens never sent', async () => {
    const r = await run('seq-gap');
    expect(r.code).toBe(1000);
    const s = seqs(r);
    const missing = s.length ? Array.from({ length: (s.at(-1) as number) + 1 }, (_, i) => i).filter((i) => !s.includes(i)) : [];
    expect(missing).toHaveLength(1);
    const full = answerFor('seq-gap');
    const got = textOf(r);
    expect(got.length).toBeLessThan(full.length);
    expect(done(r)?.usage).toEqual(expect.objectContaining({ completion_tokens: encode(full).length }));
  });

  it('malformed-frame: one text frame is not JSON, the stream continues to done', async () => {
    const r = await run('malformed-frame');
    expect(r.code).toBe(1000);
    const bad = r.frames.filter((f) => {
      if (f.kind !== 'text') return false;
      try {
        JSON.parse(f.text);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
    const idx = r.frames.indexOf(bad[0] as (typeof r.frames)[number]);
    expect(idx).toBeGreaterThan(0);
    expect(idx).toBeLessThan(r.frames.length - 1);
    expect(textOf(r)).toBe(answerFor('malformed-frame'));
    expect(done(r)?.usage).toBeDefined();
  });

  it('no-usage: done without usage', async () => {
    const r = await run('no-usage');
    expect(r.code).toBe(1000);
    expect(done(r)).toBeDefined();
    expect(done(r)).not.toHaveProperty('usage');
    expect(textOf(r)).toBe(answerFor('no-usage'));
  });
});

describe('answers and pacing', () => {
  it('is deterministic for (input, scenario) and differs for another input', async () => {
    const a = await run('happy', { input: 'Same input' });
    const b = await run('happy', { input: 'Same input' });
    const c = await run('happy', { input: 'Another input' });
    expect(tokensOf(a)).toEqual(tokensOf(b));
    expect(a.json).toEqual(b.json);
    expect(tokensOf(c)).not.toEqual(tokensOf(a));
  });

  it('uses the simulator default scenario when the request names none', async () => {
    const own = await startSim({ scenario: 'no-usage' });
    try {
      const r = await rawStream(own, await getToken(own), { request_id: 'r', input: INPUT });
      expect(done(r)).not.toHaveProperty('usage');
      const r2 = await rawStream(own, await getToken(own), { request_id: 'r2', input: INPUT, scenario: 'happy' });
      expect(done(r2)?.usage).toBeDefined();
    } finally {
      await own.close();
    }
  });

  it('paces with a first-token delay and inter-token gaps, scaled by 1/speed', async () => {
    const own = await startSim({ speed: 4 });
    try {
      const r = await rawStream(own, await getToken(own), { request_id: 'r', input: INPUT, scenario: 'happy' });
      const first = (r.frames[0]?.at ?? 0) - r.openedAt;
      const total = (r.frames.at(-1)?.at ?? 0) - r.openedAt;
      const tokens = tokensOf(r).flat().length;
      // At speed 4: first token >= 250/4 ms; the whole answer >= first + tokens * 20/4 ms (timers never fire early).
      expect(first).toBeGreaterThanOrEqual(60);
      expect(total).toBeGreaterThanOrEqual(60 + tokens * 5 - 10);
    } finally {
      await own.close();
    }
  });

  it('at speed 0 a long answer does not block the event loop for other clients', async () => {
    let httpDoneAt = 0;
    let ping: Promise<number> | undefined;
    // Once the first frame is here, ask the same server for something else while it streams.
    const r = await rawStream(sim, token, { request_id: rid(), input: INPUT, scenario: 'happy', repeat: 400 }, () => {
      ping ??= fetch(`${sim.url}/`).then((res) => {
        httpDoneAt = performance.now();
        return res.status;
      });
    });
    const status = await ping;
    expect(status).toBe(200);
    expect(r.code).toBe(1000);
    expect(textOf(r)).toBe(createScriptedAnswers().plan({ input: INPUT, scenario: 'happy', attempt: 1, repeat: 400 }).answer);
    expect(httpDoneAt).toBeLessThan(r.frames.at(-1)?.at ?? 0);
  });

  it('counts accepted streams', async () => {
    const before = sim.stats.streams;
    await run('happy');
    expect(sim.stats.streams - before).toBe(1);
  });
});
