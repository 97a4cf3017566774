// `fetch` for the engine's small API calls (gateway config, dialog variables, context inject, OAuth token),
// on node:http/https with keep-alive. Same contract as the global fetch for what those calls use — method,
// headers, a string or byte body, a signal, redirects followed as fetch does — and a real Response back
// (the body read whole: these answers are a few bytes of JSON). Why: the built-in fetch (undici) spends
// ~1.5 ms of CPU per request, more than the rest of a write-back together, and a replay makes one per turn
// (issue 13). Errors look like fetch's: a TypeError "fetch failed" with the system error as `cause`, and a
// signal's own reason (AbortError, TimeoutError) when it aborts. The Response holds the bytes it was given
// and makes its body stream only when `body` is asked for (see BufferedResponse).
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

/** Decodes as fetch's text() does: UTF-8, a leading BOM dropped, bad bytes as U+FFFD. */
const utf8 = new TextDecoder();

/**
 * A Response over a body already read whole. undici builds a ReadableStream for every body it is given
 * (~40 µs of CPU and its garbage per response: a replay at speed 0 makes one write-back per turn), while
 * these answers are read with text()/json() or dropped: so the bytes stay a Buffer, and a real stream over
 * them is made only when `body` is read. Either way the body can be used once, as fetch's.
 */
class BufferedResponse extends Response {
  #bytes: Buffer<ArrayBuffer>;
  #init: ResponseInit;
  /** The Response with a real stream, once `body` was asked for: from then on it answers every body call. */
  #streamed: Response | undefined;
  #used = false;
  constructor(bytes: Buffer<ArrayBuffer>, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
    this.#init = init;
  }
  #take(): Buffer<ArrayBuffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes;
  }
  #stream(): Response {
    this.#streamed ??= new Response(this.#used ? null : this.#bytes, this.#init);
    return this.#streamed;
  }
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#used && !this.#streamed ? null : this.#stream().body;
  }
  override get bodyUsed(): boolean {
    return this.#streamed ? this.#streamed.bodyUsed : this.#used;
  }
  override text(): Promise<string> {
    if (this.#streamed) return this.#streamed.text();
    try {
      return Promise.resolve(utf8.decode(this.#take()));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  override async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#streamed) return this.#streamed.arrayBuffer();
    try {
      const b = this.#take();
      return Promise.resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  override blob(): Promise<Blob> {
    return this.#stream().blob();
  }
  override formData(): Promise<FormData> {
    return this.#stream().formData();
  }
  override clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return this.#streamed ? this.#streamed.clone() : new BufferedResponse(this.#bytes, this.#init);
  }
  /** The body will not be read: nothing to release but the claim on it. */
  discard(): Promise<void> {
    if (this.#streamed) return this.#streamed.body?.cancel() ?? Promise.resolve();
    this.#used = true;
    return Promise.resolve();
  }
}

/**
 * Lets go of a response body nobody will read (so a streamed one frees its connection): a cancel of its
 * stream, or nothing to do for one httpFetch read whole. Never rejects.
 */
export async function discardBody(res: Response): Promise<void> {
  try {
    if (res instanceof BufferedResponse) await res.discard();
    else await res.body?.cancel();
  } catch {
    // Already read, errored or cancelled: nothing is held.
  }
}

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
            const init = { status, statusText: res.statusMessage ?? '', headers: h };
            resolve(nullBody ? new Response(null, init) : new BufferedResponse(Buffer.concat(chunks), init));
          } catch (err) {
            reject(new TypeError('fetch failed', { cause: err }));
          }
        }),
      );
    });
    req.end(body);
  });
}
