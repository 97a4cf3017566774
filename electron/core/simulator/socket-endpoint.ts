// The simulated Cognigy Socket.IO Endpoint (socket-endpoint.md): a Socket.IO v4 server with allowEIO3, so
// both socket.io-client v4 (Cognigy's client 5.x, Webchat v3) and Cognigy's client 4.9.2 (socket.io-client
// 2.x) connect. Checks the URL token (query or `handshake=true` variant), emits `endpoint-ready` on every
// accepted connection (also after a reconnect), records `processInput` and the user's `typingStatus`, and
// plays each input as a turn (socket-turn.ts) on the session's socket of the moment: a turn survives its
// session reconnecting. Every output and finalPing is emitted with an ack callback and acks are counted.
// Server variants: transports offered (any / WebSocket only / polling only) and a sub-path.
// Must never accept input before the URL token checked out, nor emit for a turn after its stall/drop.
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ScenarioName, SCENARIOS } from '../../../shared/scenarios';
import { MAX_REPEAT, type AnswerPlan } from './answers';
import { BoundedMap, sawEndpointSession, type SimContext } from './context';
import { isPlainObject } from './http-util';
import { playSocketTurn, type SessionLink } from './socket-turn';

const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How many received `processInput` payloads the simulator keeps for inspection. */
export const SOCKET_INPUTS_KEPT = 100;

/** The Socket.IO path for an endpoint base path: `<base>/socket.io`. */
export function socketPathFor(basePath: string): string {
  return `${basePath}/socket.io`;
}

interface SessionInfo {
  sessionId: string;
  userId: string;
  emitWithAck: boolean;
}

/** One accepted connection of a session. */
interface Connection {
  socket: Socket;
  info: SessionInfo;
  /** Aborted when this socket disconnects. */
  signal: AbortSignal;
}

/** Query values of the official client are URI-encoded twice; accept either form. */
function queryValue(v: unknown): string | undefined {
  const s: unknown = Array.isArray(v) ? v[0] : v;
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

const TRANSPORTS = { any: ['polling', 'websocket'], websocket: ['websocket'], polling: ['polling'] } as const;

export function attachSocketEndpoint(ctx: SimContext, http: HttpServer): SocketEndpoint {
  const io = new Server(http, {
    path: socketPathFor(ctx.config.endpointBasePath),
    allowEIO3: true,
    serveClient: false,
    transports: [...TRANSPORTS[ctx.config.socketTransports]],
    allowUpgrades: ctx.config.socketTransports === 'any',
    // The gateway stream shares this HTTP server: engine.io must leave other upgrades alone.
    destroyUpgrade: false,
    // A frontend under development (e.g. Webchat on a dev server) connects from another origin.
    cors: { origin: true, credentials: true },
  });
  /** Attempts per session + text, for `rate-limit` (first fails, the same input again succeeds). */
  const attempts = new BoundedMap<string, number>(10_000);
  /** The live connection of each session, and turns waiting for a session to come back. */
  const live = new BoundedMap<string, Connection>(10_000);
  const waiting = new Map<string, Set<(c: Connection) => void>>();

  const register = (c: Connection) => {
    live.set(c.info.sessionId, c);
    for (const w of waiting.get(c.info.sessionId) ?? []) w(c);
    waiting.delete(c.info.sessionId);
  };

  io.engine.on('connection', (raw: { transport?: { name?: string } }) => {
    const name = raw.transport?.name;
    if (name === 'polling' || name === 'websocket') ctx.stats.socketHandshakes[name]++;
  });
  io.on('connection', (socket) => {
    ctx.stats.socketConnections++;
    const ac = new AbortController();
    const query = socket.handshake.query;
    let conn: Connection | undefined;
    let queue: Promise<void> = Promise.resolve();
    socket.on('disconnect', () => {
      ac.abort();
      if (conn && live.get(conn.info.sessionId) === conn) live.delete(conn.info.sessionId);
    });

    const refuse = (message: string) => {
      socket.emit('exception', { message, code: 'invalid_url_token' });
      socket.disconnect(true);
    };
    const accept = (info: SessionInfo) => {
      conn = { socket, info, signal: ac.signal };
      sawEndpointSession(ctx, info.sessionId, info.userId);
      if (ctx.config.sendEndpointReady) {
        ctx.stats.socketReadies++;
        socket.emit('endpoint-ready');
      }
      register(conn);
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

    socket.on('typingStatus', (payload: unknown) => {
      const status = isPlainObject(payload) ? payload.status : undefined;
      if (status === 'typingOn') ctx.stats.socketUserTypingOn++;
      else if (status === 'typingOff') ctx.stats.socketUserTypingOff++;
    });
    socket.on('processInput', (payload: unknown) => {
      if (!conn) {
        socket.emit('exception', { message: 'processInput before the session handshake completed', code: 'not_ready' });
        return;
      }
      const c = conn;
      const p = isPlainObject(payload) ? payload : {};
      const sessionId = typeof p.sessionId === 'string' && p.sessionId ? p.sessionId : c.info.sessionId;
      sawEndpointSession(ctx, sessionId, typeof p.userId === 'string' && p.userId ? p.userId : c.info.userId);
      ctx.socketInputs.push({ sessionId, payload: p });
      if (ctx.socketInputs.length > SOCKET_INPUTS_KEPT) ctx.socketInputs.shift();
      queue = queue.then(() => turn(c, sessionId, p)).catch(() => undefined);
    });
  });

  function emitAcked(c: Connection, event: 'output' | 'finalPing', payload: unknown): void {
    if (event === 'output') ctx.stats.socketOutputs++;
    else ctx.stats.socketFinalPings++;
    if (!c.info.emitWithAck) {
      c.socket.emit(event, payload);
      return;
    }
    c.socket.timeout(ctx.config.socketAckTimeoutMs).emit(event, payload, (err: Error | null) => {
      if (err) ctx.stats.socketAckTimeouts++;
      else ctx.stats.socketAcks++;
    });
  }

  /** The turn's view of its session: always the session's current socket. */
  function linkFor(first: Connection, sessionId: string): SessionLink {
    let current: Connection | undefined = first;
    // The turn's own socket while it is up; once it is gone, the session's newest one (a reconnect).
    const now = (): Connection | undefined => {
      if (current?.socket.connected) return current;
      const c = live.get(sessionId);
      current = c?.socket.connected ? c : undefined;
      return current;
    };
    const lost = new AbortController();
    lost.abort();
    return {
      emit(event, payload) {
        const c = now();
        if (!c) {
          ctx.stats.socketOutputsLost++;
          return;
        }
        emitAcked(c, event, payload);
      },
      typing: (status) => now()?.socket.emit('typingStatus', { status }),
      exception: (payload) => now()?.socket.emit('exception', payload),
      connected: () => now() !== undefined,
      signal: () => now()?.signal ?? lost.signal,
      disconnect: () => now()?.socket.disconnect(true),
      terminate: () => now()?.socket.conn.close(),
      disconnectAndAwaitReconnect() {
        const before = now();
        if (!before) return Promise.resolve(false);
        return new Promise<boolean>((resolve) => {
          const done = (c: Connection | undefined) => {
            clearTimeout(timer);
            ctx.closing.removeEventListener('abort', onClose);
            waiting.get(sessionId)?.delete(onBack);
            current = c;
            resolve(c !== undefined);
          };
          const onBack = (c: Connection) => done(c);
          const onClose = () => done(undefined);
          const timer = setTimeout(() => done(undefined), ctx.config.reconnectWaitMs);
          timer.unref?.();
          ctx.closing.addEventListener('abort', onClose, { once: true });
          let set = waiting.get(sessionId);
          if (!set) waiting.set(sessionId, (set = new Set()));
          set.add(onBack);
          before.socket.disconnect(true);
        });
      },
    };
  }

  async function turn(c: Connection, sessionId: string, p: Record<string, unknown>): Promise<void> {
    const data = isPlainObject(p.data) ? p.data : {};
    const text = typeof p.text === 'string' ? p.text : '';
    const link = linkFor(c, sessionId);
    const error = (message: string, code: string) => link.emit('output', { type: 'error', data: { error: { message, code } } });
    const finish = () => {
      link.emit('finalPing', { type: 'regular' });
      link.typing('typingOff');
    };

    if (p.URLToken !== undefined && p.URLToken !== ctx.config.urlToken) {
      link.exception({ message: 'processInput carries a URLToken that is not valid for this endpoint', code: 'invalid_url_token' });
      return;
    }
    link.typing('typingOn');
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
    await playSocketTurn(ctx, link, plan, scenario);
  }

  return {
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        void io.close(() => resolve());
      }),
  };
}
