import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SessionEvent } from '../../../shared/events';
import { createDefaultDeps, type DefaultDeps } from '../../../electron/core/app/default-deps';
import { createBridgeServer, type BridgeServer } from '../../../electron/core/bridge/bridge-server';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';

const META = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self'" />`;

let dir: string;
let deps: DefaultDeps;
let bridge: BridgeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bridge-'));
  const stat = join(dir, 'renderer');
  mkdirSync(join(stat, 'assets'), { recursive: true });
  writeFileSync(join(stat, 'index.html'), `<!doctype html><html><head>${META}</head><body>app</body></html>`);
  writeFileSync(join(stat, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  deps = createDefaultDeps({ mode: 'browser', dataDir: join(dir, 'data'), secrets: createMemoryStore(), demoSpeed: 0 });
  bridge = await createBridgeServer({ deps, staticDir: stat, port: 0 });
});

afterAll(async () => {
  await bridge.close();
  await deps.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, headers: { host: `127.0.0.1:${bridge.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a bridge socket; resolves with it when open, or with the HTTP status of a refused upgrade. */
function connect(opts: { token?: string | null; origin?: string | null; path?: string }): Promise<WebSocket | number> {
  const token = opts.token === undefined ? bridge.token : opts.token;
  const url = `ws://127.0.0.1:${bridge.port}${opts.path ?? '/bridge'}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const headers: Record<string, string> = {};
  const origin = opts.origin === undefined ? bridge.origin : opts.origin;
  if (origin !== null) headers.origin = origin;
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

// Replies and pushes are checked field by field; their types are the contract's.
/* eslint-disable @typescript-eslint/no-explicit-any */
function rpc(ws: WebSocket) {
  let id = 0;
  const pending = new Map<number, (m: any) => void>();
  const pushes: Array<{ channel: string; payload: any }> = [];
  ws.on('message', (d) => {
    const m = JSON.parse((d as Buffer).toString());
    if ('channel' in m) pushes.push(m);
    else pending.get(m.id)?.(m);
  });
  return {
    pushes,
    /** Resolves with the first push (already received or still to come) that matches. */
    push(match: (p: { channel: string; payload: any }) => boolean, ms = 20_000): Promise<{ channel: string; payload: any }> {
      const seen = pushes.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching push within ${ms} ms`)), ms);
        const onMessage = (d: WebSocket.RawData) => {
          const m = JSON.parse((d as Buffer).toString());
          if ('channel' in m && match(m)) {
            clearTimeout(timer);
            ws.off('message', onMessage);
            resolve(m);
          }
        };
        ws.on('message', onMessage);
      });
    },
    call(channel: string, req: unknown): Promise<any> {
      const n = ++id;
      return new Promise((resolve) => {
        pending.set(n, resolve);
        ws.send(JSON.stringify({ id: n, channel, request: req }));
      });
    },
  };
}

/* eslint-enable @typescript-eslint/no-explicit-any */

describe('bridge server', () => {
  it('listens on 127.0.0.1 only with a fresh random token, and prints a URL carrying it', () => {
    expect(bridge.origin).toBe(`http://127.0.0.1:${bridge.port}`);
    expect(bridge.url).toBe(`${bridge.origin}/?token=${bridge.token}`);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer with a strict CSP (connect-src widened to its own socket only)', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${bridge.port} ws://localhost:${bridge.port}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.body).toContain(`connect-src 'self' ws://127.0.0.1:${bridge.port}`);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
  });

  it('never serves files outside the renderer dir, and refuses foreign Host headers', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/nope.js', '/assets']) {
      expect((await get(p)).status, p).toBe(404);
    }
    expect((await get('/', { host: 'evil.example' })).status).toBe(421);
  });

  it('another site may link to the UI but not load its files into its own page (Fetch Metadata)', async () => {
    const crossLoad = await get('/assets/app.js', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' });
    expect(crossLoad.status).toBe(403);
    expect(crossLoad.body).toMatch(/a page on another site sent this request/);
    expect((await get('/', { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors', origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await get('/', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).status).toBe(200);
    expect((await get('/assets/app.js', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors' })).status).toBe(200);
    expect((await get('/')).status).toBe(200);
  });

  it('refuses the upgrade without the token (401), with a wrong one (403), to another path (404)', async () => {
    expect(await connect({ token: null })).toBe(401);
    expect(await connect({ token: '' })).toBe(401);
    expect(await connect({ token: 'wrong' })).toBe(403);
    expect(await connect({ token: `${bridge.token}x` })).toBe(403);
    expect(await connect({ path: '/other' })).toBe(404);
  });

  it('the sender check refuses a socket from another origin: every message before parsing, then the socket', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${bridge.port + 1}`, `https://127.0.0.1:${bridge.port}`, 'null', null]) {
      const ws = (await connect({ origin })) as WebSocket;
      expect(ws, String(origin)).toBeInstanceOf(WebSocket);
      const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      // A request that would open a session (and one that would not even parse) gets the same refusal.
      const reply = await rpc(ws).call('renderer:session.open', { environment: 'demo' });
      expect(reply.error, String(origin)).toMatchObject({ code: 'invalid-sender' });
      expect(reply.response).toBeUndefined();
      expect(await closed).toEqual({ code: 1008, reason: 'wrong Origin: only the page served here may talk to the bridge' });
    }
    const malformed = (await connect({ origin: 'http://evil.example' })) as WebSocket;
    expect((await rpc(malformed).call('renderer:env.setSecret', { nonsense: true })).error).toMatchObject({ code: 'invalid-sender' });
  });

  it('carries the IPC contract: invoke replies, errors as data, pushes of batched events', async () => {
    const ws = await connect({});
    expect(ws).toBeInstanceOf(WebSocket);
    const c = rpc(ws as WebSocket);
    const info = await c.call('renderer:app.info', {});
    expect(info.response).toMatchObject({ mode: 'browser', dataDir: join(dir, 'data') });
    const bad = await c.call('renderer:env.setSecret', { name: 'x', kind: 'client-secret' });
    expect(bad.error).toMatchObject({ code: 'invalid-request' });
    const { sessionId } = (await c.call('renderer:session.open', { environment: 'demo' })).response;
    const { turnId } = (await c.call('renderer:turn.start', { sessionId, input: 'hi there' })).response;
    await c.push((p) => p.channel === 'main:session.events' && p.payload.events.some((e: SessionEvent) => e.type === 'turn.end'));
    const events: SessionEvent[] = c.pushes.filter((p) => p.channel === 'main:session.events').flatMap((p) => p.payload.events);
    expect(events[0]).toMatchObject({ type: 'turn.start', turnId });
    expect(events.at(-1)).toMatchObject({ type: 'turn.end', status: 'complete' });
    (ws as WebSocket).close();
  });

  it('closes a socket that sends something other than a bridge request', async () => {
    const ws = (await connect({})) as WebSocket;
    const code = await new Promise<number>((resolve) => {
      ws.once('close', (c) => resolve(c));
      ws.send('not json');
    });
    expect(code).toBe(1007);
    const ws2 = (await connect({})) as WebSocket;
    const code2 = await new Promise<number>((resolve) => {
      ws2.once('close', (c) => resolve(c));
      ws2.send(JSON.stringify({ hello: 1 }));
    });
    expect(code2).toBe(1008);
  });
});
