// The local SSE relay: lets a developer's own frontend consume the filtered stream of a turn as
// `text/event-stream` (GET /stream?input=…&scenario=… for EventSource, POST /turns for fetch clients).
// It binds 127.0.0.1 only, refuses foreign Origins and Host names (DNS rebinding), never relays raw text,
// and cancels a turn when its last client has gone and did not come back within the resume grace.
// The turn itself is run by an injected function, so the server knows nothing of engines or upstreams.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Cause, SessionEvent } from '../../../shared/events';
import { createOriginPolicy, crossSiteRefusal, DEFAULT_ORIGINS, headerLookup } from './origins';
import { relayEventOf } from './relay-events';
import { sseComment, sseRetry } from './sse-encoder';
import { createTurnBuffers, type BufferedEvent, type TurnBuffer } from './turn-buffers';
import { jsonErrorPosition } from '../util/json-error';

export interface RelayTurnRequest {
  input: string;
  scenario?: string;
  signal: AbortSignal;
}

/** Runs one turn, calling `emit` with its session events; resolves when the turn has ended. */
export type RelayTurnRunner = (req: RelayTurnRequest, emit: (e: SessionEvent) => void) => Promise<void>;

export interface RelayOptions {
  runTurn: RelayTurnRunner;
  /** 0 or absent = a free port. Always 127.0.0.1. */
  port?: number;
  /** Allowed browser origins (patterns, `:*` = any port); default: http://localhost:*, 127.0.0.1:*, [::1]:*. */
  origins?: readonly string[];
  /** Comment heartbeat interval; default 15 000 ms. */
  heartbeatMs?: number;
  /** `retry:` sent to clients; default 3 000 ms. */
  retryMs?: number;
  /** How long a turn keeps running after its last client disconnected; default retryMs + 2 000 ms. 0 = cancel at once. */
  resumeGraceMs?: number;
  /** Finished turns kept for resuming; default 32 (see turn-buffers.ts for the byte and age bounds). */
  keepTurns?: number;
  /** Total bytes of finished turns kept for resuming; default 16 MiB. */
  resumeMaxBytes?: number;
  /** How long a finished turn stays resumable; default 10 min. */
  resumeMaxAgeMs?: number;
  /** Accepted scenario names; absent = any short name (the runner decides). */
  scenarios?: readonly string[];
  /** Largest accepted input, in UTF-8 bytes (default 32 KiB); larger POST bodies are refused with 413. */
  maxInputBytes?: number;
  /** Fallback text for errors the relay itself reports (the runner failed, an unknown Last-Event-ID). */
  fallbackFor?: (cause: Cause) => string;
  /** One line per notable thing (turn started, client gone, turn cancelled) for stderr. */
  log?: (line: string) => void;
}

export interface RelayServer {
  url: string;
  port: number;
  /** Turns started so far. */
  turnsStarted(): number;
  close(): Promise<void>;
}

const TurnBody = z.strictObject({
  input: z.string().min(1, 'input must not be empty'),
  scenario: z.string().min(1).max(64).optional(),
});

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function createRelayServer(opts: RelayOptions): Promise<RelayServer> {
  const origins = createOriginPolicy(opts.origins && opts.origins.length ? opts.origins : DEFAULT_ORIGINS);
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const retryMs = opts.retryMs ?? 3_000;
  const graceMs = opts.resumeGraceMs ?? retryMs + 2_000;
  const maxInput = opts.maxInputBytes ?? 32 * 1024;
  const log = opts.log ?? (() => {});
  const fallbackFor = opts.fallbackFor ?? (() => 'An unexpected error occurred. Please contact support.');
  const buffers = createTurnBuffers({ keepFinished: opts.keepTurns, maxBytes: opts.resumeMaxBytes, maxAgeMs: opts.resumeMaxAgeMs });
  const open = new Set<ServerResponse>();
  let started = 0;
  let port = 0;

  function validateScenario(s: string | undefined): string | undefined {
    if (s === undefined || s === '') return undefined;
    if (opts.scenarios && !opts.scenarios.includes(s)) throw new HttpError(400, `unknown scenario "${s}"; valid: ${opts.scenarios.join(', ')}`);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(s)) throw new HttpError(400, `invalid scenario name "${s}"`);
    return s;
  }

  function checkInput(input: string | null | undefined): string {
    if (!input) throw new HttpError(400, 'missing input: use GET /stream?input=<text> or POST /turns {"input": "..."}');
    if (Buffer.byteLength(input, 'utf8') > maxInput) throw new HttpError(413, `input is larger than ${maxInput} bytes`);
    return input;
  }

  function startTurn(input: string, scenario: string | undefined): TurnBuffer {
    const buf = buffers.create();
    started++;
    log(`turn ${buf.turnNo}: started${scenario ? ` (scenario ${scenario})` : ''}`);
    let ended = false;
    const emit = (e: SessionEvent) => {
      if (ended) return;
      const r = relayEventOf(e);
      if (!r) return;
      buf.push(r);
      if (r.event === 'done') {
        ended = true;
        buf.finish();
      }
    };
    const req: RelayTurnRequest = { input, signal: buf.controller.signal, ...(scenario ? { scenario } : {}) };
    Promise.resolve()
      .then(() => opts.runTurn(req, emit))
      .then(
        () => {
          if (!ended) {
            emit({ type: 'turn.end', turnId: `relay-${buf.turnNo}`, at: 0, status: buf.controller.signal.aborted ? 'cancelled' : 'failed', cause: buf.controller.signal.aborted ? 'cancelled' : 'internal', rawLength: 0, durationMs: 0, tokenCount: 0 });
          }
        },
        (err: unknown) => {
          if (ended) return;
          const message = (err as Error)?.message ?? String(err);
          buf.push({ event: 'error', data: { cause: 'internal', message, fallback: fallbackFor('internal') } });
          emit({ type: 'turn.end', turnId: `relay-${buf.turnNo}`, at: 0, status: 'failed', cause: 'internal', rawLength: 0, durationMs: 0, tokenCount: 0 });
        },
      )
      .finally(() => log(`turn ${buf.turnNo}: ended`));
    return buf;
  }

  /** A finished one-event turn telling the client its Last-Event-ID points nowhere (relay restarted or turn evicted). */
  function expiredTurn(lastEventId: string): TurnBuffer {
    const buf = buffers.create();
    const message = `event id ${JSON.stringify(lastEventId)} is not in this relay's buffer (the relay restarted or the turn is too old); start a new request without Last-Event-ID`;
    buf.push({ event: 'error', data: { cause: 'not_found', message, fallback: fallbackFor('not_found') } });
    buf.push({ event: 'done', data: { status: 'failed', cause: 'not_found' } });
    buf.finish();
    return buf;
  }

  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin) return {};
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  }

  function attach(req: IncomingMessage, res: ServerResponse, buf: TurnBuffer, afterSeq: number): void {
    if (buf.done && afterSeq >= buf.lastSeq()) {
      // 204 tells an EventSource to stop reconnecting: the turn it followed is over and fully delivered.
      res.writeHead(204, { ...corsHeaders(req), 'Cache-Control': 'no-cache' });
      res.end();
      return;
    }
    res.writeHead(200, {
      ...corsHeaders(req),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
    });
    open.add(res);
    res.write(sseRetry(retryMs));
    buf.clients++;
    if (buf.graceTimer) {
      clearTimeout(buf.graceTimer);
      buf.graceTimer = undefined;
    }
    // The events of one tick go out as one write: a turn that emits a burst (a replay, a fast upstream, the
    // resume of a long answer) costs one write, not one per event with its buffered chunk each.
    let closed = false;
    let pending: string[] = [];
    const flush = () => {
      if (!pending.length) return;
      const text = pending.join('');
      pending = [];
      if (!closed) res.write(text);
    };
    const write = (e: BufferedEvent) => {
      if (e.seq <= afterSeq) return;
      if (!pending.length) queueMicrotask(flush);
      pending.push(e.chunk);
    };
    for (const e of buf.events) write(e);
    const heartbeat = setInterval(() => res.write(sseComment('heartbeat')), heartbeatMs);
    heartbeat.unref();
    /** Detaches this response from the turn once, whichever way it ends. False when already detached. */
    const release = (): boolean => {
      if (closed) return false;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
      buf.clients--;
      return true;
    };
    const finishResponse = () => {
      flush();
      if (release()) res.end();
    };
    const unsubscribe = buf.done ? () => true : buf.subscribe(write, finishResponse);
    if (buf.done) {
      finishResponse();
      return;
    }
    res.on('close', () => {
      if (!release()) return;
      // The last reader of a finished turn left: the bounds may now let it go.
      if (buf.done && buf.clients === 0) buffers.released();
      if (!buf.done && buf.clients === 0) {
        log(`turn ${buf.turnNo}: client disconnected; cancelling ${graceMs ? `in ${graceMs} ms unless it resumes` : 'now'}`);
        const cancel = () => {
          if (!buf.done && buf.clients === 0) {
            log(`turn ${buf.turnNo}: cancelled (no client)`);
            buf.controller.abort(new Error('the relay client disconnected'));
          }
        };
        if (graceMs <= 0) cancel();
        else {
          buf.graceTimer = setTimeout(cancel, graceMs);
          buf.graceTimer.unref();
        }
      }
    });
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const limit = maxInput + 1024;
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > limit) throw new HttpError(413, `request body is larger than ${limit} bytes`);
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      throw new HttpError(421, `unexpected Host "${req.headers.host ?? ''}": the relay answers only http://127.0.0.1:${port} (DNS rebinding protection)`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.allowed(origin)) {
      throw new HttpError(403, `origin ${origin} is not allowed; start the relay with --origin ${origin} to allow it`);
    }
    // <img>/<script>/no-cors fetches and navigations carry no Origin: Fetch Metadata tells them apart.
    const crossSite = crossSiteRefusal(headerLookup(req.headers), ['cors']);
    if (crossSite) throw new HttpError(403, `refused: ${crossSite}`);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const route = url.pathname;

    if (req.method === 'OPTIONS' && (route === '/stream' || route === '/turns')) {
      res.writeHead(204, {
        ...corsHeaders(req),
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Last-Event-ID',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    if (route === '/' && req.method === 'GET') {
      res.writeHead(200, { ...corsHeaders(req), 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ relay: 'cognigy-stream-debugger', endpoints: ['GET /stream?input=<text>[&scenario=<s>]', 'POST /turns {"input":"...","scenario":"..."}'], turnsStarted: started }));
      return;
    }
    if (route !== '/stream' && route !== '/turns') throw new HttpError(404, `no such endpoint ${route}; use GET /stream or POST /turns`);
    if (route === '/stream' && req.method !== 'GET') throw new HttpError(405, 'use GET /stream?input=<text>');
    if (route === '/turns' && req.method !== 'POST') throw new HttpError(405, 'use POST /turns with a JSON body {"input": "..."}');

    const lastEventId = (req.headers['last-event-id'] as string | undefined) ?? url.searchParams.get('lastEventId') ?? undefined;
    if (lastEventId) {
      const found = buffers.lookup(lastEventId);
      if (found) log(`turn ${found.buffer.turnNo}: client resumed after event ${found.seq}`);
      if (found) attach(req, res, found.buffer, found.seq);
      else attach(req, res, expiredTurn(lastEventId), 0);
      return;
    }

    let input: string;
    let scenario: string | undefined;
    if (route === '/stream') {
      input = checkInput(url.searchParams.get('input'));
      scenario = validateScenario(url.searchParams.get('scenario') ?? undefined);
    } else {
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') throw new HttpError(415, 'POST /turns needs Content-Type: application/json');
      const text = await readBody(req);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new HttpError(400, `body is not valid JSON${jsonErrorPosition(err)}`);
      }
      const parsed = TurnBody.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new HttpError(400, `invalid body: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      input = checkInput(parsed.data.input);
      scenario = validateScenario(parsed.data.scenario);
    }
    attach(req, res, startTurn(input, scenario), 0);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = (err as Error)?.message ?? String(err);
      if (res.headersSent) {
        res.end();
        return;
      }
      // A refused page cannot read why (no CORS headers): the developer reads it in the relay's log.
      if (status === 403) log(`refused ${req.method ?? '?'} ${(req.url ?? '/').split('?')[0]}: ${message}`);
      // CORS headers only for allowed origins, so a refused page cannot even read why.
      const cors = status !== 403 && req.headers.origin && origins.allowed(req.headers.origin) ? corsHeaders(req) : {};
      res.writeHead(status, { ...cors, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.end(JSON.stringify({ error: message }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    turnsStarted: () => started,
    async close() {
      buffers.dispose();
      for (const b of buffers.running()) b.controller.abort(new Error('the relay is shutting down'));
      for (const res of open) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
