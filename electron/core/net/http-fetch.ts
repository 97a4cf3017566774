// `fetch` for the engine's small API calls (gateway config, dialog variables, context inject, OAuth token),
// on node:http/https with keep-alive. Same contract as the global fetch for what those calls use — method,
// headers, a string or byte body, a signal, redirects followed as fetch does — and a real Response back
// (the body read whole: these answers are a few bytes of JSON). Why: the built-in fetch (undici) spends
// ~1.5 ms of CPU per request, more than the rest of a write-back together, and a replay makes one per turn
// (issue 13). Errors look like fetch's: a TypeError "fetch failed" with the system error as `cause`, and a
// signal's own reason (AbortError, TimeoutError) when it aborts.
import http from 'node:http';
import https from 'node:https';

/** A free keep-alive socket is closed after this long, before a typical server (Node: 5 s) drops it. */
const FREE_SOCKET_MS = 4_000;
/** No answer (headers or body) for this long fails the request, as fetch's own 300 s timeouts do. */
const IDLE_MS = 300_000;
const MAX_REDIRECTS = 20;

const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: FREE_SOCKET_MS }),
};

type Body = string | Uint8Array | undefined;

function bodyOf(body: RequestInit['body']): Body {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('httpFetch: the body must be a string or bytes');
}

export async function httpFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = bodyOf(init.body);
  const headers = new Headers(init.headers);
  for (let redirects = 0; ; redirects++) {
    const res = await once(url, method, headers, body, signal);
    const location = res.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(res.status) || location === null || init.redirect === 'manual') return res;
    if (init.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`redirect to ${location} refused (redirect: "error")`) });
    if (redirects >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('too many redirects') });
    const next = new URL(location, url);
    // As fetch: 303 (and 301/302 after a POST) continue as a GET without a body, and credentials never
    // follow a redirect to another origin.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      headers.delete('content-type');
    }
    if (next.origin !== url.origin) for (const h of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key']) headers.delete(h);
    url = next;
  }
}

/** One request; a reused keep-alive socket the server had already closed is retried once on a fresh one. */
async function once(url: URL, method: string, headers: Headers, body: Body, signal: AbortSignal | undefined): Promise<Response> {
  try {
    return await request(url, method, headers, body, signal, true);
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return request(url, method, headers, body, signal, false);
  }
}

class StaleSocketError extends Error {}

function request(url: URL, method: string, headers: Headers, body: Body, signal: AbortSignal | undefined, mayReuse: boolean): Promise<Response> {
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
  const lib = url.protocol === 'https:' ? https : http;
  const out: Record<string, string> = {};
  headers.forEach((v, k) => (out[k] = v));
  if (typeof body === 'string' && !headers.has('content-type')) out['content-type'] = 'text/plain;charset=UTF-8'; // as fetch
  if (body !== undefined) out['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const req = lib.request(url, { method, headers: out, agent: mayReuse ? agent : false });
    const onAbort = () => finish(() => {
      req.destroy();
      reject(signal?.reason);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(IDLE_MS, () => req.destroy(Object.assign(new Error(`no answer within ${IDLE_MS / 1000} s`), { code: 'UND_ERR_HEADERS_TIMEOUT' })));
    let answered = false;
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server closed an idle connection just as we reused it (no answer came): a fresh one is safe.
      if (mayReuse && !answered && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) finish(() => reject(new StaleSocketError()));
      else finish(() => reject(new TypeError('fetch failed', { cause: err })));
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => finish(() => reject(new TypeError('fetch failed', { cause: err }))));
      res.on('end', () =>
        finish(() => {
          const status = res.statusCode ?? 0;
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          const nullBody = status === 204 || status === 205 || status === 304 || method === 'HEAD';
          try {
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: h }));
          } catch (err) {
            reject(new TypeError('fetch failed', { cause: err }));
          }
        }),
      );
    });
    req.end(body);
  });
}
