// The tap's HTTP side: Cognigy's endpoint answers two routes on /<URLToken> besides the socket — Webchat's
// settings GET and the REST endpoint's POST — so a real Webchat works through the tap unchanged. Exactly
// that path is forwarded to the one configured upstream; anything else is a 404 that says what the tap
// serves. Request and response bodies are bounded; the upstream's CORS answer is passed back as it is.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1_000_000;
const UPSTREAM_TIMEOUT_MS = 10_000;
const REQUEST_HEADERS = ['accept', 'accept-language', 'content-type', 'origin', 'user-agent', 'access-control-request-method', 'access-control-request-headers'];
const RESPONSE_HEADERS = /^(content-type|cache-control|etag|last-modified|vary|access-control-.*)$/i;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);

export interface PassThroughTarget {
  /** Upstream server part (origin plus sub-path), without the URL token. */
  server: string;
  urlToken: string;
}

function plain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export async function passThroughHttp(req: IncomingMessage, res: ServerResponse, target: PassThroughTarget): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://tap.invalid').pathname;
  let segment: string;
  try {
    segment = decodeURIComponent(path.replace(/^\/+|\/+$/g, ''));
  } catch {
    segment = '';
  }
  if (segment !== target.urlToken) {
    return plain(res, 404, 'the tap serves only its endpoint URL (/<URLToken>: the Webchat settings GET and the REST POST) and the socket at /socket.io');
  }
  const method = req.method ?? 'GET';
  if (!METHODS.has(method)) return plain(res, 405, `${method} is not an endpoint method (GET, POST, OPTIONS)`);
  const body = method === 'POST' ? await readBody(req) : undefined;
  if (body === 'too-large') return plain(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);

  const headers: Record<string, string> = {};
  for (const h of REQUEST_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const url = `${target.server}/${encodeURIComponent(target.urlToken)}`;
  let upstream: Response;
  try {
    upstream = await fetch(url, { method, headers, body: body ? new Uint8Array(body) : undefined, redirect: 'manual', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${UPSTREAM_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.message);
    return plain(res, 502, `the tap could not reach the upstream endpoint: ${why}`);
  }
  const out: Record<string, string> = {};
  upstream.headers.forEach((v, k) => {
    if (RESPONSE_HEADERS.test(k)) out[k] = v;
  });
  const buf = Buffer.from(await upstream.arrayBuffer());
  if (buf.length > MAX_BODY_BYTES) return plain(res, 502, `the upstream answered with over ${MAX_BODY_BYTES} bytes`);
  res.writeHead(upstream.status, out).end(method === 'HEAD' ? undefined : buf);
}
