// The relay over real loopback HTTP with an injected turn runner (the engine-backed runner is tested in
// tests/cli/relay.test.ts), read by an independent SSE parser.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelayServer, type RelayOptions, type RelayServer, type RelayTurnRunner } from '../../../electron/core/relay/relay-server';
import { parseEventId } from '../../../electron/core/relay/turn-buffers';
import { sse } from './sse-client';

const NASTY = ['Hello', ' wor', 'ld\n\ndata: {"text":"forged"}\n\n', 'event: done\r\n', 'id: 999\r', '\u2028\u2029', 'emoji \ud83d', '\ude00 end', '\n'];

/** A scripted turn: one filtered.text per token (plus raw.text that must never be relayed), usage, end. */
function scripted(tokens: string[], opts: { gapMs?: number; fail?: boolean } = {}): RelayTurnRunner & { cancelled: number; calls: Array<{ input: string; scenario?: string }> } {
  const gap = opts.gapMs ?? 0;
  const runner = (async (req, emit) => {
    runner.calls.push({ input: req.input, ...(req.scenario ? { scenario: req.scenario } : {}) });
    const t = 'turn-x';
    emit({ type: 'turn.start', turnId: t, at: 0, sessionId: 's', requestId: 'r', upstream: 'gateway', environment: 'demo', input: req.input, startedAt: new Date().toISOString() });
    let out = 0;
    for (let i = 0; i < tokens.length; i++) {
      if (gap) await new Promise((r) => setTimeout(r, gap));
      if (req.signal.aborted) {
        runner.cancelled++;
        emit({ type: 'turn.end', turnId: t, at: 1, status: 'cancelled', cause: 'cancelled', rawLength: out, durationMs: 1, tokenCount: i });
        return;
      }
      const text = tokens[i] as string;
      emit({ type: 'raw.text', turnId: t, at: i, start: out, text: `RAW-${text}`, token: i });
      emit({ type: 'filtered.text', turnId: t, at: i, start: out, text, hits: [], holdback: 0, holdbackReason: [] });
      out += text.length;
    }
    if (opts.fail) {
      emit({ type: 'error', turnId: t, at: 5, cause: 'network', message: 'socket dropped', closeCode: 1006, fallback: 'An unexpected error occurred.' });
      emit({ type: 'turn.end', turnId: t, at: 5, status: 'partial', cause: 'network', rawLength: out, durationMs: 5, tokenCount: tokens.length });
      return;
    }
    emit({ type: 'usage', turnId: t, at: 5, estimated: { prompt: 1, completion: 2, total: 3 }, reported: { prompt: 1, completion: 2, total: 3 }, encoding: 'o200k_base', drift: 0, driftFlagged: false, source: 'reported' });
    emit({ type: 'turn.end', turnId: t, at: 5, status: 'complete', rawLength: out, ttftMs: 1, durationMs: 5, tokenCount: tokens.length });
  }) as RelayTurnRunner & { cancelled: number; calls: Array<{ input: string; scenario?: string }> };
  runner.cancelled = 0;
  runner.calls = [];
  return runner;
}

let relay: RelayServer | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});
async function start(o: Partial<RelayOptions> & { runTurn: RelayTurnRunner }) {
  relay = await createRelayServer({ port: 0, ...o });
  return relay;
}
const q = (s: string) => encodeURIComponent(s);
const tokensOf = (events: Array<{ event?: string; data: string }>) => events.filter((e) => e.event === 'token').map((e) => (JSON.parse(e.data) as { text: string }).text);

describe('SSE relay', () => {
  it('streams filtered tokens, usage and done with increasing ids; tokens with newlines and CRs stay intact', async () => {
    const r = await start({ runTurn: scripted(NASTY), retryMs: 1500 });
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await sse(`${r.url}/stream?input=${q('hi there')}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.retry).toBe(1500);
    expect(tokensOf(res.events)).toEqual(NASTY);
    expect(tokensOf(res.events).join('')).not.toContain('RAW-');
    expect(res.events.map((e) => e.event)).toEqual([...NASTY.map(() => 'token'), 'usage', 'done']);
    const seqs = res.events.map((e) => parseEventId(e.id ?? '')?.seq);
    expect(seqs).toEqual(res.events.map((_, i) => i + 1));
    expect(new Set(res.events.map((e) => parseEventId(e.id!)!.turnNo)).size).toBe(1);
    expect(JSON.parse(res.events.at(-2)!.data)).toMatchObject({ prompt: 1, completion: 2, total: 3, source: 'reported' });
    expect(JSON.parse(res.events.at(-1)!.data)).toMatchObject({ status: 'complete', tokenCount: NASTY.length });
    // The body itself holds no raw line break inside any data line.
    for (const l of res.body.split('\n')) if (l.startsWith('data:')) expect(() => JSON.parse(l.slice(5))).not.toThrow();
  });

  it('POST /turns gives the same stream; turn numbers increase across turns', async () => {
    const runner = scripted(['a', 'b']);
    const r = await start({ runTurn: runner });
    const a = await sse(`${r.url}/turns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: 'x', scenario: 'pii' }) });
    const b = await sse(`${r.url}/stream?input=y&scenario=happy`);
    expect(tokensOf(a.events)).toEqual(['a', 'b']);
    expect(runner.calls).toEqual([{ input: 'x', scenario: 'pii' }, { input: 'y', scenario: 'happy' }]);
    expect(parseEventId(b.events[0]!.id!)!.turnNo).toBeGreaterThan(parseEventId(a.events.at(-1)!.id!)!.turnNo);
    expect(r.turnsStarted()).toBe(2);
  });

  it('errors are typed with their fallback, then done', async () => {
    const r = await start({ runTurn: scripted(['partial '], { fail: true }) });
    const res = await sse(`${r.url}/stream?input=x`);
    expect(res.events.map((e) => e.event)).toEqual(['token', 'error', 'done']);
    expect(JSON.parse(res.events[1]!.data)).toEqual({ cause: 'network', message: 'socket dropped', fallback: 'An unexpected error occurred.', closeCode: 1006 });
    expect(JSON.parse(res.events[2]!.data)).toMatchObject({ status: 'partial', cause: 'network' });
  });

  it('a runner that throws becomes an internal error event and done', async () => {
    const r = await start({ runTurn: async () => Promise.reject(new Error('boom')), fallbackFor: (c) => `fallback for ${c}` });
    const res = await sse(`${r.url}/stream?input=x`);
    expect(res.events.map((e) => e.event)).toEqual(['error', 'done']);
    expect(JSON.parse(res.events[0]!.data)).toEqual({ cause: 'internal', message: 'boom', fallback: 'fallback for internal' });
  });

  it('resumes from Last-Event-ID within the turn buffer, without duplicates; 204 once everything was delivered', async () => {
    const tokens = Array.from({ length: 12 }, (_, i) => `t${i} `);
    const runner = scripted(tokens, { gapMs: 15 });
    const r = await start({ runTurn: runner, resumeGraceMs: 5000 });
    const first = await sse(`${r.url}/stream?input=x`, { stopAfter: 4 });
    expect(first.aborted).toBe(true);
    const last = first.events.at(-1)!.id!;
    const rest = await sse(`${r.url}/stream?input=x`, { headers: { 'last-event-id': last } });
    expect(rest.status).toBe(200);
    const all = [...first.events, ...rest.events];
    expect(tokensOf(all)).toEqual(tokens);
    expect(all.map((e) => parseEventId(e.id!)!.seq)).toEqual(all.map((_, i) => i + 1));
    expect(runner.calls).toHaveLength(1);
    expect(runner.cancelled).toBe(0);
    // Resuming a finished turn from the middle replays the tail; from the end, 204 stops EventSource.
    const tail = await sse(`${r.url}/stream?lastEventId=${q(all[9]!.id!)}`);
    expect(tail.events.map((e) => e.id)).toEqual(all.slice(10).map((e) => e.id));
    const over = await sse(`${r.url}/stream?input=x`, { headers: { 'last-event-id': all.at(-1)!.id! } });
    expect(over.status).toBe(204);
    expect(runner.calls).toHaveLength(1);
  });

  it('an unknown Last-Event-ID gets a not_found error and done, never a new turn', async () => {
    const runner = scripted(['a']);
    const r = await start({ runTurn: runner });
    const res = await sse(`${r.url}/stream?input=x`, { headers: { 'last-event-id': 'other-3-7' } });
    expect(res.events.map((e) => e.event)).toEqual(['error', 'done']);
    expect(JSON.parse(res.events[0]!.data)).toMatchObject({ cause: 'not_found' });
    expect(runner.calls).toHaveLength(0);
    // Following the error's own id ends the story with 204.
    expect((await sse(`${r.url}/stream`, { headers: { 'last-event-id': res.events[1]!.id! } })).status).toBe(204);
  });

  it('a client that disconnects cancels the turn (after the resume grace)', async () => {
    const runner = scripted(Array.from({ length: 200 }, () => 'x'), { gapMs: 10 });
    const r = await start({ runTurn: runner, resumeGraceMs: 0 });
    await sse(`${r.url}/stream?input=x`, { stopAfter: 2 });
    await expect.poll(() => runner.cancelled, { timeout: 5000 }).toBe(1);
  });

  it('sends comment heartbeats', async () => {
    const r = await start({ runTurn: scripted(Array.from({ length: 50 }, () => 'x'), { gapMs: 20 }), heartbeatMs: 30 });
    const res = await sse(`${r.url}/stream?input=x`, { stopAfterComments: 2 });
    expect(res.comments.slice(0, 2).map((c) => c.trim())).toEqual(['heartbeat', 'heartbeat']);
  });

  it('CORS only for configured origins; other origins and foreign Host names are refused', async () => {
    const runner = scripted(['a']);
    const r = await start({ runTurn: runner, origins: ['http://localhost:*', 'https://app.example.com'] });
    const ok = await sse(`${r.url}/stream?input=x`, { headers: { origin: 'http://localhost:5173' } });
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const ok2 = await sse(`${r.url}/stream?input=x`, { headers: { origin: 'https://app.example.com' } });
    expect(ok2.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const bad = await sse(`${r.url}/stream?input=x`, { headers: { origin: 'https://evil.example' } });
    expect(bad.status).toBe(403);
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(bad.body).error).toMatch(/origin https:\/\/evil\.example is not allowed/);
    const pre = await sse(`${r.url}/turns`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Last-Event-ID/);
    const rebinding = await sse(`${r.url}/stream?input=x`, { headers: { host: `attacker.example:${r.port}` } });
    expect(rebinding.status).toBe(421);
    expect(runner.calls).toHaveLength(2);
    await expect(createRelayServer({ runTurn: runner, origins: ['*'] })).rejects.toThrow(/origin "\*" is not allowed/);
  });

  it('refuses what a browser marks as a cross-site or same-site no-cors load or navigation; keeps cors and non-browser clients', async () => {
    const runner = scripted(['a']);
    const r = await start({ runTurn: runner });
    const fm = (site: string, mode: string, extra: Record<string, string> = {}) => ({ 'sec-fetch-site': site, 'sec-fetch-mode': mode, ...extra });
    // <img>/<script> on another loopback port (same-site) or another site, an iframe, a link: no Origin header.
    for (const headers of [fm('same-site', 'no-cors'), fm('cross-site', 'no-cors'), fm('cross-site', 'navigate'), fm('same-site', 'navigate'), fm('cross-site', 'cors')]) {
      const res = await sse(`${r.url}/stream?input=x`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(res.body).error).toMatch(/a page on another site sent this request \(Sec-Fetch-Site: (cross|same)-site, Sec-Fetch-Mode: /);
    }
    const form = await sse(`${r.url}/turns`, { method: 'POST', headers: fm('cross-site', 'navigate', { 'content-type': 'application/json' }), body: '{"input":"x"}' });
    expect(form.status).toBe(403);
    expect(runner.calls).toHaveLength(0);
    // EventSource/fetch from an allowed origin (cors, with Origin), the user typing the URL (none), curl (nothing).
    expect((await sse(`${r.url}/stream?input=x`, { headers: fm('cross-site', 'cors', { origin: 'http://localhost:5173' }) })).status).toBe(200);
    expect((await sse(`${r.url}/stream?input=x`, { headers: fm('none', 'navigate') })).status).toBe(200);
    expect((await sse(`${r.url}/stream?input=x`)).status).toBe(200);
    expect(runner.calls).toHaveLength(3);
  });

  it('the default origins are localhost and 127.0.0.1 on any port', async () => {
    const r = await start({ runTurn: scripted(['a']) });
    for (const o of ['http://localhost:8080', 'http://127.0.0.1:3000', 'http://localhost']) {
      expect((await sse(`${r.url}/stream?input=x`, { headers: { origin: o } })).status).toBe(200);
    }
    expect((await sse(`${r.url}/stream?input=x`, { headers: { origin: 'http://localhost.evil.com' } })).status).toBe(403);
    expect((await sse(`${r.url}/stream?input=x`, { headers: { origin: 'https://localhost:8080' } })).status).toBe(403);
  });

  it('bad requests get clear JSON errors', async () => {
    const r = await start({ runTurn: scripted(['a']), scenarios: ['happy', 'pii'], maxInputBytes: 10 });
    const cases: Array<[string, Parameters<typeof sse>[1], number, RegExp]> = [
      ['/stream', {}, 400, /missing input/],
      ['/stream?input=x&scenario=nope', {}, 400, /unknown scenario "nope"; valid: happy, pii/],
      [`/stream?input=${'x'.repeat(11)}`, {}, 413, /larger than 10 bytes/],
      ['/turns', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }, 415, /Content-Type: application\/json/],
      ['/turns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":' }, 400, /not valid JSON/],
      ['/turns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":""}' }, 400, /input: input must not be empty/],
      ['/turns', { method: 'GET' }, 405, /use POST \/turns/],
      ['/nope', {}, 404, /no such endpoint/],
    ];
    for (const [path, req, status, msg] of cases) {
      const res = await sse(`${r.url}${path}`, req);
      expect(res.status, path).toBe(status);
      expect(JSON.parse(res.body).error, path).toMatch(msg);
    }
  });

  it('binds 127.0.0.1 only', async () => {
    const r = await start({ runTurn: scripted(['a']) });
    const viaOther = await new Promise<string>((resolve) => {
      const req = request({ host: '::1', port: r.port, path: '/', family: 6 }, () => resolve('connected'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.end();
    });
    expect(viaOther).not.toBe('connected');
  });
});

