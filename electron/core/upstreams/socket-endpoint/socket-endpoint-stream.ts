// One turn against Cognigy's real Socket.IO Endpoint: emit `processInput` with the fields the official
// clients send (at top level; never empty text), ack every `output` and `finalPing`, and read each output
// (output-reader.ts): answer text becomes raw tokens carrying the output's source/traceId/
// disableSensitiveLogging; rich content, Webchat events, control commands, plugin payloads and other data
// become structured outputs beside the text; a flow's stored usage becomes the reported usage; a malformed
// output is reported with the output kept and never ends the turn. Streamed chunks share a `_messageId` and
// end at `_finishReason`; an output without one is a complete message; `finalPing` ends the turn.
// The socket is given by a connector: the persistent connection with its reconnect loop (the upstream), a
// single socket (connection test), or an observed one (the tap). A break of the connection mid-turn is
// damage at that position: outputs sent meanwhile may be missing, so such an answer is never `complete`.
import type { Socket } from 'socket.io-client';
import type { SocketTransport } from '../../../../shared/events';
import { createTurnWatch } from '../turn-watch';
import { DEFAULT_IDLE_TIMEOUT_MS, type TurnRequest, type UpstreamSink } from '../upstream';
import { UpstreamError, causeOfErrorCode } from '../upstream-error';
import { connectError, openSocket } from './endpoint-socket';
import type { ConnectionNote } from './endpoint-connection';
import { readOutput } from './output-reader';

export interface SocketEndpointOptions {
  serverUrl: string;
  urlToken: string;
  userId: string;
  /** `channel` of processInput: `socket-client` (the official client's), `webchat3` (Webchat v3's) or your own. */
  channel: string;
  testMode: boolean;
  /** How long to wait for `endpoint-ready` before sending anyway (servers before 4.79 never send it). */
  readyTimeoutMs?: number;
  /** WebSocket only (default, as the v5 client) or polling with upgrade. */
  transport?: SocketTransport;
  reconnectIntervalMs?: number;
  /** 0 = no limit. */
  reconnectionLimit?: number;
  resetFlow?: boolean;
  passthroughIP?: string | null;
  /** JSON path (in an output's `{text, data}`) where the flow puts its stored usage, e.g. `data.promptResult.usage`. */
  usagePath?: string;
}

export const DEFAULT_READY_TIMEOUT_MS = 3_000;
/** The official client's defaults. */
export const DEFAULT_RECONNECT_INTERVAL_MS = 10_000;
export const DEFAULT_RECONNECTION_LIMIT = 5;

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
  const target = { ...opts, transport: opts.transport ?? 'websocket' };
  const socket = openSocket(target, sessionId);
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
      reject(connectError(target, err));
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
  /**
   * After disconnect: keep hearing `event` until the next turn on this connection starts. What follows a
   * turn's end (the bot's typingOff after its finalPing) still belongs to it. A single socket has none.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `on`
  linger?(event: 'typingStatus', listener: (...args: any[]) => void): void;
}
export type EndpointConnector = (opts: SocketEndpointOptions, sessionId: string, signal: AbortSignal, onNotice: (text: string) => void) => Promise<{ socket: EndpointSocket; ready: boolean }>;

export async function runSocketEndpointTurn(opts: SocketEndpointOptions, req: TurnRequest, sink: UpstreamSink, connect: EndpointConnector = connectEndpoint): Promise<void> {
  if (req.signal.aborted) throw new UpstreamError('cancelled', 'cancelled before the turn started');
  // Webchat never sends empty text; neither do we: an input with nothing to say is the user's to fix.
  if (req.input.trim() === '') throw new UpstreamError('bad_request', 'the message is empty: type something to send (the Socket Endpoint is never sent empty text)');
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
  /** Where the connection broke during this turn (the answer may miss what was sent meanwhile). */
  let broke: string | undefined;
  let asked = false;
  // Socket outputs carry no seq. Event buffering re-sends an event whose ack it missed, so an output that
  // is identical to the previous one of the same message is taken as a re-delivery: dropped, reported.
  let previous: { messageId?: string; text: string; finishReason?: string } | undefined;

  const endTurn = () => {
    // Messages still open at finalPing end with it.
    for (const id of open) sink.messageEnd(id, 'finalPing');
    open.clear();
    finish();
  };

  socket.on('output', (payload: unknown, ack: Ack) => {
    if (typeof ack === 'function') ack();
    if (watch.settled) return;
    try {
      onOutput(payload);
    } catch (err) {
      // A bug downstream must end this turn with a typed error, never take the process down from a listener.
      finish(new UpstreamError('internal', `processing an output failed: ${(err as Error)?.message ?? String(err)}`));
    }
  });
  const onOutput = (payload: unknown): void => {
    arm();
    const r = readOutput(payload, opts.usagePath);
    switch (r.kind) {
      case 'finalPing':
        return endTurn();
      case 'error': {
        const e = r.error as { code?: unknown; retryAfter?: unknown } | undefined;
        const code = typeof e?.code === 'string' ? e.code : undefined;
        const retryAfterMs = typeof e?.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter * 1000 : undefined;
        return finish(new UpstreamError(causeOfErrorCode(code, 'server_error'), `the flow reported an error${code ? ` (${code})` : ''}: ${describe(e)}`, { retryAfterMs }));
      }
      case 'unknown-type':
        sink.issue('notice', `output ${frame++} of unknown type ${r.type} ignored`, { frame: frame - 1 });
        return;
      case 'malformed': {
        const f = frame++;
        sink.issue('malformed-frame', `output ${f} ${r.detail}; kept in the issue, the answer so far is unchanged`, { frame: f, raw: r.raw, ...(r.rawTruncated ? { rawTruncated: true } : {}) });
        // Text of an output whose only fault is its _messageId is still the bot's: kept as a message of its own.
        if (r.text) {
          sink.token({ text: r.text, origin: { frame: f, kind: 'text', ...r.meta } });
          sink.messageEnd(undefined, 'complete', { frame: f, ...r.meta });
        }
        return;
      }
      case 'output':
        break;
    }
    const { text, messageId, finishReason, meta } = r;
    if (messageId && previous && previous.messageId === messageId && previous.text === text && previous.finishReason === finishReason && text) {
      sink.issue('duplicate-seq', `output ${frame} repeats the previous chunk of message ${messageId} exactly: dropped as a re-delivery`, { frame });
      frame++;
      return;
    }
    previous = { messageId, text, finishReason };
    const f = frame++;
    if (text) sink.token({ text, origin: { frame: f, kind: 'text', ...(messageId ? { messageId } : {}), ...meta } });
    for (const p of r.parts) {
      const big = p.truncated ? ` (${p.bytes.toLocaleString('en-US')} bytes; its JSON is kept cut at ${p.json.length.toLocaleString('en-US')} characters)` : '';
      if (big) sink.issue('oversized-output', `output ${f}: ${p.path} is an enormous payload${big}`, { frame: f });
      sink.structured({ frame: f, kind: p.kind, path: p.path, summary: p.summary, json: p.json, bytes: p.bytes, ...(p.truncated ? { truncated: true } : {}), ...(messageId ? { messageId } : {}), ...(text ? { withText: true } : {}), ...meta });
    }
    if (r.usage && opts.usagePath) sink.usage(r.usage, { by: 'flow', path: opts.usagePath });
    // An output without _messageId is a whole message of its own (also one with only structured content).
    if (!messageId) {
      sink.messageEnd(undefined, 'complete', { frame: f, ...meta });
    } else if (finishReason) {
      if (!open.has(messageId) && !text) {
        sink.issue('unknown-message', `output ${f} ends message ${messageId} (${finishReason}), which this turn never saw open`, { frame: f });
      }
      open.delete(messageId);
      sink.messageEnd(messageId, finishReason, { frame: f, ...(text ? { closingText: text } : {}), ...meta });
    } else {
      open.add(messageId);
    }
  };
  socket.on('finalPing', (_payload: unknown, ack: Ack) => {
    if (typeof ack === 'function') ack();
    if (!watch.settled) endTurn();
  });
  const onTyping = (payload: unknown) => {
    arm();
    const status = (payload as { status?: unknown } | undefined)?.status;
    // After finalPing (or the turn's end otherwise) it is still this turn's, said to come after the end.
    if (status === 'typingOn' || status === 'typingOff') sink.typing('server', status, watch.settled);
  };
  socket.on('typingStatus', onTyping);
  socket.on('exception', (err: unknown) => finish(new UpstreamError(exceptionCause(err), `the endpoint raised an exception: ${describe(err)}`)));
  // A single socket (connection test, tap): its end is the turn's end.
  socket.on('disconnect', (reason: string) => {
    finish(new UpstreamError('network', `the Socket Endpoint disconnected before the answer was complete (${reason})`));
  });
  // The persistent connection: it reconnects by itself; the turn records where the stream broke.
  socket.on('connection', (n: ConnectionNote) => {
    if (watch.settled) return;
    arm();
    // A break before our input went out (between turns) cost this answer nothing.
    if (n.state === 'disconnected' && asked) {
      broke = n.reason ?? 'disconnected';
      sink.connection({ ...n, ...(open.size ? { openMessages: [...open] } : {}) });
      sink.issue('connection-lost', `the connection broke mid-answer (${broke}): outputs the endpoint sent until it is back are lost`);
      return;
    }
    sink.connection(n);
  });
  socket.on('gave-up', (err: UpstreamError) => finish(err));

  arm();
  if (req.userTyping) {
    // What Webchat does around a message the user typed: typing on while typing, off as it is sent.
    for (const status of ['typingOn', 'typingOff'] as const) {
      socket.emit('typingStatus', { status });
      sink.typing('client', status);
    }
  }
  asked = true;
  socket.emit('processInput', {
    URLToken: opts.urlToken,
    userId: opts.userId,
    sessionId: req.sessionId,
    channel: opts.channel,
    source: 'device',
    passthroughIP: opts.passthroughIP ?? null,
    resetFlow: opts.resetFlow === true,
    text: req.input,
    data: req.scenario ? { scenario: req.scenario } : null,
  });
  try {
    await watch.promise;
  } catch (err) {
    // Silence after a break is the break's doing: say so, with the cause a person can act on.
    if (broke && err instanceof UpstreamError && err.kind === 'timeout') {
      throw new UpstreamError('network', `the connection broke mid-answer (${broke}) and nothing more arrived within ${Math.round(idleMs / 1000)} s of it`);
    }
    throw err;
  } finally {
    socket.disconnect();
    socket.linger?.('typingStatus', onTyping);
  }
}
