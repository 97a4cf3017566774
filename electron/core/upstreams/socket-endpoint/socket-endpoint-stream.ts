// One turn against Cognigy's real Socket.IO Endpoint: connect with the official query (sessionId, urlToken,
// userId, testMode, emitWithAck), wait (bounded) for `endpoint-ready`, emit `processInput`, ack every
// `output` and `finalPing`, and turn streamed chunks (same `_messageId`, ended by `_finishReason`) into raw
// tokens. An output without `_messageId` is a complete message. `finalPing` ends the turn.
import { io, type Socket } from 'socket.io-client';
import { createTurnWatch } from '../turn-watch';
import { DEFAULT_IDLE_TIMEOUT_MS, type TurnRequest, type UpstreamSink } from '../upstream';
import { UpstreamError, causeOfErrorCode } from '../upstream-error';

export interface SocketEndpointOptions {
  serverUrl: string;
  urlToken: string;
  userId: string;
  channel: string;
  testMode: boolean;
  /** How long to wait for `endpoint-ready` before sending anyway (servers before 4.79 never send it). */
  readyTimeoutMs?: number;
}

export const DEFAULT_READY_TIMEOUT_MS = 3_000;

interface OutputPayload {
  type?: string;
  data?: { text?: unknown; data?: { _cognigy?: { _messageId?: unknown; _finishReason?: unknown } } & Record<string, unknown>; error?: unknown };
}

type Ack = ((...args: unknown[]) => void) | undefined;

function describe(err: unknown): string {
  if (typeof err === 'string') return err;
  if (err && typeof err === 'object') {
    const o = err as { message?: unknown; error?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (typeof o.error === 'string') return o.error;
    try {
      return JSON.stringify(err).slice(0, 300);
    } catch {
      /* fall through */
    }
  }
  return String(err);
}

/** Typed cause of an `exception` by its `code` (never by its text). */
function exceptionCause(err: unknown): UpstreamError['kind'] {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  if (code === 'token_revoked') return 'policy';
  if (code === 'invalid_url_token') return 'auth';
  return 'server_error';
}

/** Connects and waits for `endpoint-ready` (bounded). Returns the socket and whether the server said ready. */
export async function connectEndpoint(opts: SocketEndpointOptions, sessionId: string, signal: AbortSignal, onNotice: (text: string) => void): Promise<{ socket: Socket; ready: boolean }> {
  const socket = io(opts.serverUrl, {
    query: { sessionId, urlToken: opts.urlToken, userId: opts.userId, testMode: String(opts.testMode), emitWithAck: 'true' },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
  const readyMs = opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let readyTimer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      clearTimeout(readyTimer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect_error', onConnectError);
      socket.off('endpoint-ready', onReady);
      socket.off('exception', onException);
    };
    const onAbort = () => {
      cleanup();
      socket.disconnect();
      reject(new UpstreamError('cancelled', 'cancelled while connecting to the endpoint'));
    };
    const onConnectError = (err: Error) => {
      cleanup();
      socket.disconnect();
      reject(new UpstreamError('network', `could not connect to the Socket Endpoint ${opts.serverUrl}: ${err.message}`));
    };
    const onReady = () => {
      cleanup();
      resolve({ socket, ready: true });
    };
    const onException = (err: unknown) => {
      cleanup();
      socket.disconnect();
      const cause = exceptionCause(err);
      reject(new UpstreamError(cause === 'server_error' ? 'auth' : cause, `the Socket Endpoint refused the connection: ${describe(err)} (check the URL token)`));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect_error', onConnectError);
    socket.on('endpoint-ready', onReady);
    socket.on('exception', onException);
    socket.on('connect', () => {
      readyTimer = setTimeout(() => {
        cleanup();
        onNotice(`no endpoint-ready within ${readyMs} ms; sending anyway (Cognigy.AI before 4.79 does not send it)`);
        resolve({ socket, ready: false });
      }, readyMs);
    });
  });
}

/**
 * What a turn needs of a connected endpoint socket. The tap hands in one that only observes a frontend's
 * real connection (its emit sends nothing, its disconnect only stops listening), so a tapped turn is read
 * by exactly this code.
 */
export interface EndpointSocket {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Socket.IO listeners take any payload
  on(event: string, listener: (...args: any[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
}
export type EndpointConnector = (opts: SocketEndpointOptions, sessionId: string, signal: AbortSignal, onNotice: (text: string) => void) => Promise<{ socket: EndpointSocket; ready: boolean }>;

export async function runSocketEndpointTurn(opts: SocketEndpointOptions, req: TurnRequest, sink: UpstreamSink, connect: EndpointConnector = connectEndpoint): Promise<void> {
  if (req.signal.aborted) throw new UpstreamError('cancelled', 'cancelled before the turn started');
  const { socket } = await connect(opts, req.sessionId, req.signal, (t) => sink.issue('notice', t));
  const idleMs = req.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;

  const watch = createTurnWatch({
    signal: req.signal,
    idleMs,
    silence: 'no output from the Socket Endpoint',
    onStop: () => socket.disconnect(),
  });
  const { arm, finish } = watch;
  let frame = 0;
  const open = new Set<string>();
  // Socket outputs carry no seq. Event buffering re-sends an event whose ack it missed, so an output that
  // is identical to the previous one of the same message is taken as a re-delivery: dropped, reported.
  let previous: { messageId?: string; text: string; finishReason?: string } | undefined;

  const endTurn = () => {
    // Messages still open at finalPing end with it.
    for (const id of open) sink.messageEnd(id, 'finalPing');
    open.clear();
    finish();
  };

  socket.on('output', (payload: OutputPayload, ack: Ack) => {
    if (typeof ack === 'function') ack();
    if (watch.settled) return;
    try {
      onOutput(payload);
    } catch (err) {
      // A bug downstream must end this turn with a typed error, never take the process down from a listener.
      finish(new UpstreamError('internal', `processing an output failed: ${(err as Error)?.message ?? String(err)}`));
    }
  });
  const onOutput = (payload: OutputPayload): void => {
    arm();
    const type = payload?.type;
    if (type === 'finalPing') return endTurn();
    if (type === 'error') {
      const raw: unknown = payload?.data?.error ?? payload?.data;
      const e = typeof raw === 'object' && raw !== null ? (raw as { code?: unknown; retryAfter?: unknown }) : undefined;
      const code = typeof e?.code === 'string' ? e.code : undefined;
      const retryAfterMs = typeof e?.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter * 1000 : undefined;
      return finish(new UpstreamError(causeOfErrorCode(code, 'server_error'), `the flow reported an error${code ? ` (${code})` : ''}: ${describe(raw)}`, { retryAfterMs }));
    }
    if (typeof payload !== 'object' || payload === null) {
      sink.issue('malformed-frame', `output ${frame} is not an object {type, data}: ${describe(payload).slice(0, 80)}`);
      return;
    }
    if (type !== 'output') {
      sink.issue('notice', `output of unknown type ${JSON.stringify(type)} ignored`);
      return;
    }
    const data = payload.data ?? {};
    const meta = data.data?._cognigy;
    const text = typeof data.text === 'string' ? data.text : '';
    const messageId = typeof meta?._messageId === 'string' ? meta._messageId : undefined;
    const finishReason = typeof meta?._finishReason === 'string' ? meta._finishReason : undefined;
    if (messageId && previous && previous.messageId === messageId && previous.text === text && previous.finishReason === finishReason && text) {
      sink.issue('duplicate-seq', `output ${frame} repeats the previous chunk of message ${messageId} exactly: dropped as a re-delivery`);
      frame++;
      return;
    }
    previous = { messageId, text, finishReason };
    const origin = { frame: frame++, kind: 'text' as const, ...(messageId ? { messageId } : {}) };
    if (text) sink.token({ text, origin });
    if (!messageId) {
      sink.messageEnd(undefined, 'complete', origin.frame);
    } else if (finishReason) {
      open.delete(messageId);
      sink.messageEnd(messageId, finishReason, origin.frame);
    } else {
      open.add(messageId);
    }
  };
  socket.on('finalPing', (_payload: unknown, ack: Ack) => {
    if (typeof ack === 'function') ack();
    endTurn();
  });
  socket.on('typingStatus', () => arm());
  socket.on('exception', (err: unknown) => finish(new UpstreamError(exceptionCause(err), `the endpoint raised an exception: ${describe(err)}`)));
  socket.on('disconnect', (reason: string) => {
    finish(new UpstreamError('network', `the Socket Endpoint disconnected before the answer was complete (${reason})`));
  });

  arm();
  socket.emit('processInput', {
    URLToken: opts.urlToken,
    userId: opts.userId,
    sessionId: req.sessionId,
    channel: opts.channel,
    source: 'device',
    resetFlow: false,
    text: req.input,
    data: req.scenario ? { scenario: req.scenario } : {},
  });
  try {
    await watch.promise;
  } finally {
    socket.disconnect();
  }
}
