// httpFetch keeps the global fetch's contract for what the engine's API calls use, against a real loopback
// server: methods, headers, bodies, statuses, redirects as fetch follows them, aborts and timeouts with the
// signal's own reason, connection errors as TypeError with the system error as cause, keep-alive reuse,
// and a reused socket the server already closed retried once on a fresh one.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discardBody, httpFetch } from '../../../electron/core/net/http-fetch';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

let server: http.Server;
let base: string;
let seen: Seen[];
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
const sockets = new Set<Socket>();
/** Requests the server dropped without an answer (they reached it, but nothing was applied). */
const dropped = new WeakSet<IncomingMessage>();

beforeEach(async () => {
  seen = [];
  handler = (_req, res) => res.end('ok');
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      if (dropped.has(req)) return;
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket: req.socket });
      handler(req, res, body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpFetch', () => {
  it('sends method, headers and body; answers with status, headers and body as a Response', async () => {
    handler = (_req, res, body) => {
      res.writeHead(201, 'Made', { 'content-type': 'application/json', 'retry-after': '3' });
      res.end(JSON.stringify({ echo: body }));
    };
    const res = await httpFetch(`${base}/api/x?y=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body: '{"a":"ü"}' });
    expect(res).toBeInstanceOf(Response);
    expect([res.status, res.ok, res.statusText, res.headers.get('retry-after')]).toEqual([201, true, 'Made', '3']);
    await expect(res.json()).resolves.toEqual({ echo: '{"a":"ü"}' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/x?y=1', body: '{"a":"ü"}' });
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'idempotency-key': 'k-1', 'content-length': String(Buffer.byteLength('{"a":"ü"}')) });
  });

  it('an error status is an answer, not a throw; 204 has no body', async () => {
    handler = (req, res) => {
      res.statusCode = req.url === '/none' ? 204 : 503;
      res.end(req.url === '/none' ? undefined : '{"error":"busy"}');
    };
    const bad = await httpFetch(`${base}/x`);
    expect([bad.status, bad.ok, await bad.text()]).toEqual([503, false, '{"error":"busy"}']);
    const none = await httpFetch(`${base}/none`, { method: 'PUT', body: 'x' });
    expect([none.status, none.body]).toEqual([204, null]);
  });

  it('reuses one keep-alive connection for consecutive requests', async () => {
    for (let i = 0; i < 3; i++) await (await httpFetch(`${base}/k`)).text();
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('retries once on a fresh connection when the server had closed the reused one', async () => {
    await (await httpFetch(`${base}/first`)).text();
    const stale = seen[0]!.socket;
    // The next request arriving on the old socket finds it closed by the server without an answer.
    server.prependListener('request', (req: IncomingMessage) => {
      if (req.socket !== stale) return;
      dropped.add(req);
      stale.destroy();
    });
    const res = await httpFetch(`${base}/second`, { method: 'POST', body: 'once' });
    await expect(res.text()).resolves.toBe('ok');
    expect(seen.map((s) => s.url)).toEqual(['/first', '/second']);
    expect(seen[1]!.socket).not.toBe(stale);
  });

  it('follows redirects as fetch does: 307 keeps method and body, 303 turns into a GET, another origin gets no credentials', async () => {
    const other = http.createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '', socket: req.socket });
      res.end('elsewhere');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherBase = `http://localhost:${(other.address() as AddressInfo).port}`;
    try {
      handler = (req, res) => {
        if (req.url === '/a') res.writeHead(307, { location: '/b' }).end();
        else if (req.url === '/b') res.writeHead(303, { location: `${otherBase}/c` }).end();
        else res.end('?');
      };
      const res = await httpFetch(`${base}/a`, { method: 'POST', headers: { authorization: 'Bearer secret', 'content-type': 'application/json' }, body: '{}' });
      await expect(res.text()).resolves.toBe('elsewhere');
      expect(seen.map((s) => `${s.method} ${s.url} ${s.body}`)).toEqual(['POST /a {}', 'POST /b {}', 'GET /c ']);
      expect(seen[1]!.headers.authorization).toBe('Bearer secret');
      expect(seen[2]!.headers.authorization).toBeUndefined();
      const manual = await httpFetch(`${base}/a`, { redirect: 'manual' });
      expect([manual.status, manual.headers.get('location')]).toEqual([307, '/b']);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it("rejects with the signal's reason on abort and on AbortSignal.timeout, and frees the request", async () => {
    let arrived!: () => void;
    const got = new Promise<void>((resolve) => (arrived = resolve));
    handler = () => arrived(); // never answers
    const ac = new AbortController();
    const pending = httpFetch(`${base}/hang`, { signal: ac.signal });
    await got;
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(httpFetch(`${base}/hang`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(httpFetch(`${base}/x`, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a server that is not there is a TypeError "fetch failed" whose cause has the system error code', async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    for (const s of sockets) s.destroy();
    const err = await httpFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  it('its body is used once as fetch\'s is, whether read with text(), json(), arrayBuffer(), as a stream or dropped', async () => {
    handler = (_req, res) => res.end('\ufeff{"n":1}');
    const text = await httpFetch(`${base}/t`);
    const copy = text.clone();
    expect([text.bodyUsed, await text.text(), text.bodyUsed]).toEqual([false, '{"n":1}', true]);
    await expect(text.text()).rejects.toThrow(TypeError);
    expect(() => text.clone()).toThrow(TypeError);
    await expect(copy.json()).resolves.toEqual({ n: 1 });
    const bytes = await httpFetch(`${base}/b`);
    expect(Buffer.from(await bytes.arrayBuffer()).toString('utf8')).toBe('\ufeff{"n":1}');
    await expect(bytes.json()).rejects.toThrow(TypeError);
    const streamed = await httpFetch(`${base}/s`);
    const reader = streamed.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect([Buffer.concat(chunks).toString('utf8'), streamed.bodyUsed]).toEqual(['\ufeff{"n":1}', true]);
    await expect(streamed.text()).rejects.toThrow(TypeError);
    const dropped = await httpFetch(`${base}/d`);
    await discardBody(dropped);
    expect(dropped.bodyUsed).toBe(true);
    await expect(dropped.text()).rejects.toThrow(TypeError);
    await discardBody(dropped);
    const global = await fetch(`${base}/g`);
    await discardBody(global);
    expect(global.bodyUsed).toBe(true);
  });
});
