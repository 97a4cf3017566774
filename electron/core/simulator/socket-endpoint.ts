// The simulated Cognigy Socket.IO Endpoint (socket-endpoint.md): a Socket.IO v4 server with allowEIO3, so
// both socket.io-client v4 and Cognigy's own @cognigy/socket-client 4.9.2 (socket.io-client 2.x) connect.
// Checks the URL token (query or `handshake=true` variant), emits `endpoint-ready`, and answers
// `processInput` by playing the same answer plan as the gateway: `output` chunks flushed at . ! ? \n with one
// `_messageId`, `_finishReason:"stop"` on the last, then `finalPing`; every output and finalPing is emitted
// with an ack callback and acks are counted. Scenario mapping: see scenarios.ts.
// Must never emit anything for a turn after its stall/drop, nor accept input before the URL token checked out.
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ScenarioName, SCENARIOS } from '../../../shared/scenarios';
import { MAX_REPEAT, type AnswerPlan } from './answers';
import { BoundedMap, type SimContext } from './context';
import { isPlainObject } from './http-util';
import { createOutputChunker } from './output-chunker';
import { createPacer } from './pacing';

export const SOCKET_PATH = '/socket.io';
const HANDSHAKE_TIMEOUT_MS = 10_000;

interface SessionInfo {
  sessionId: string;
  userId: string;
  emitWithAck: boolean;
}

/** Query values of the official client are URI-encoded twice; accept either form. */
function queryValue(v: unknown): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string') return undefined;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface SocketEndpoint {
  close(): Promise<void>;
}

export function attachSocketEndpoint(ctx: SimContext, http: HttpServer): SocketEndpoint {
  const io = new Server(http, {
    path: SOCKET_PATH,
    allowEIO3: true,
    serveClient: false,
    // The gateway stream shares this HTTP server: engine.io must leave other upgrades alone.
    destroyUpgrade: false,
    // A frontend under development (e.g. Webchat on a dev server) connects from another origin.
    cors: { origin: true, credentials: true },
  });
  /** Attempts per session + text, for `rate-limit` (first fails, the same input again succeeds). */
  const attempts = new BoundedMap<string, number>(10_000);

  io.on('connection', (socket) => {
    ctx.stats.socketConnections++;
    const ac = new AbortController();
    socket.on('disconnect', () => ac.abort());
    const query = socket.handshake.query;
    let session: SessionInfo | undefined;
    let queue: Promise<void> = Promise.resolve();

    const refuse = (message: string) => {
      socket.emit('exception', { message, code: 'invalid_url_token' });
      socket.disconnect(true);
    };
    const accept = (info: SessionInfo) => {
      session = info;
      if (ctx.config.sendEndpointReady) socket.emit('endpoint-ready');
    };

    if (queryValue(query.handshake) === 'true') {
      const timer = setTimeout(() => refuse('no handshake answer'), HANDSHAKE_TIMEOUT_MS);
      timer.unref();
      socket.emit('handshake', (options: unknown) => {
        clearTimeout(timer);
        const o = isPlainObject(options) ? options : {};
        if (o.urlToken !== ctx.config.urlToken) return refuse('the URL token in the handshake is not valid for this endpoint');
        accept({
          sessionId: typeof o.sessionId === 'string' ? o.sessionId : `session-${randomUUID()}`,
          userId: typeof o.userId === 'string' ? o.userId : `user-${randomUUID()}`,
          emitWithAck: o.emitWithAck !== false,
        });
      });
    } else {
      if (queryValue(query.urlToken) !== ctx.config.urlToken) {
        refuse('the URL token (query "urlToken") is not valid for this endpoint');
        return;
      }
      accept({
        sessionId: queryValue(query.sessionId) ?? `session-${randomUUID()}`,
        userId: queryValue(query.userId) ?? `user-${randomUUID()}`,
        emitWithAck: queryValue(query.emitWithAck) !== 'false',
      });
    }

    socket.on('processInput', (payload: unknown) => {
      if (!session) {
        socket.emit('exception', { message: 'processInput before the session handshake completed', code: 'not_ready' });
        return;
      }
      const s = session;
      queue = queue.then(() => turn(socket, s, payload, ac.signal)).catch(() => undefined);
    });
  });

  function emitAcked(socket: Socket, info: SessionInfo, event: 'output' | 'finalPing', payload: unknown): void {
    if (event === 'output') ctx.stats.socketOutputs++;
    else ctx.stats.socketFinalPings++;
    if (!info.emitWithAck) {
      socket.emit(event, payload);
      return;
    }
    socket.timeout(ctx.config.socketAckTimeoutMs).emit(event, payload, (err: Error | null) => {
      if (err) ctx.stats.socketAckTimeouts++;
      else ctx.stats.socketAcks++;
    });
  }

  async function turn(socket: Socket, info: SessionInfo, payload: unknown, signal: AbortSignal): Promise<void> {
    const p = isPlainObject(payload) ? payload : {};
    const data = isPlainObject(p.data) ? p.data : {};
    const sessionId = typeof p.sessionId === 'string' && p.sessionId ? p.sessionId : info.sessionId;
    const text = typeof p.text === 'string' ? p.text : '';
    const error = (message: string, code: string, extra: Record<string, unknown> = {}) =>
      emitAcked(socket, info, 'output', { type: 'error', data: { error: { message, code, ...extra } } });
    const finish = () => {
      emitAcked(socket, info, 'finalPing', { type: 'regular' });
      socket.emit('typingStatus', { status: 'typingOff' });
    };

    if (p.URLToken !== undefined && p.URLToken !== ctx.config.urlToken) {
      socket.emit('exception', { message: 'processInput carries a URLToken that is not valid for this endpoint', code: 'invalid_url_token' });
      return;
    }
    socket.emit('typingStatus', { status: 'typingOn' });
    const scenarioParse = ScenarioName.safeParse(data.scenario ?? ctx.config.scenario);
    if (!scenarioParse.success) {
      error(`unknown scenario ${JSON.stringify(data.scenario)}; valid: ${SCENARIOS.join(', ')}`, 'bad_request');
      return finish();
    }
    const repeat = data.repeat;
    if (repeat !== undefined && (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT)) {
      error(`data.repeat must be an integer 1..${MAX_REPEAT}`, 'bad_request');
      return finish();
    }
    const scenario = scenarioParse.data;
    const key = `${sessionId}\u0000${text}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    if (scenario === 'rate-limit' && attempt === 1) ctx.owed429.sessions.add(sessionId);
    let plan: AnswerPlan;
    try {
      plan = ctx.answers.plan({ input: text, scenario, attempt, ...(typeof repeat === 'number' ? { repeat } : {}) });
    } catch (err) {
      error(`cannot answer: ${(err as Error).message}`, 'internal');
      return finish();
    }

    const messageId = randomUUID();
    const chunker = createOutputChunker();
    const utf8 = new TextDecoder('utf-8');
    const pacer = createPacer(ctx.config.speed);
    const seen = new Set<number>();
    let last: unknown;
    const chunk = (chunkText: string, finishReason?: string) => {
      last = {
        type: 'output',
        data: { text: chunkText, data: { _cognigy: { _messageId: messageId, ...(finishReason ? { _finishReason: finishReason } : {}) } }, source: 'bot' },
      };
      emitAcked(socket, info, 'output', last);
    };
    const feed = (t: string) => {
      for (const c of chunker.feed(t)) chunk(c);
    };

    for (const step of plan.steps) {
      if (!(await pacer.wait(step.delayMs, signal))) return;
      if (!socket.connected) return;
      switch (step.kind) {
        case 'tokens':
          if (seen.has(step.seq)) {
            // Re-delivery of an event, as event buffering re-sends one whose ack it missed.
            if (last) emitAcked(socket, info, 'output', last);
            break;
          }
          seen.add(step.seq);
          step.tokens.forEach(feed);
          break;
        case 'bytes':
          feed(utf8.decode(step.bytes, { stream: true }));
          break;
        case 'garbage':
          emitAcked(socket, info, 'output', step.text);
          break;
        case 'done':
          step.tokens.forEach(feed);
          feed(utf8.decode());
          chunk(chunker.end(), 'stop');
          return finish();
        case 'error':
          error(step.error, step.code, step.retryAfter !== undefined ? { retryAfter: step.retryAfter } : {});
          break;
        case 'close':
          if (step.code === 1008) {
            socket.emit('exception', { message: step.reason, code: 'token_revoked' });
            socket.disconnect(true);
            return;
          }
          return finish();
        case 'terminate':
          // Closes the transport without a Socket.IO disconnect packet: the client sees "transport close".
          socket.conn.close();
          return;
        case 'stall':
          return;
      }
    }
  }

  return {
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        io.close(() => resolve());
      }),
  };
}
