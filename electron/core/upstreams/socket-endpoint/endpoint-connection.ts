// The connection life of one session with a Cognigy Socket Endpoint, as the official client lives it: one
// socket kept across turns, Socket.IO's own reconnection off and our own loop instead (one attempt every
// `reconnectIntervalMs`, at most `reconnectionLimit`, 0 = no limit, the counter reset when input is sent),
// a fresh `endpoint-ready` awaited after EVERY connect (bounded: servers before 4.79 never send it), and
// input given while not connected-and-ready buffered and sent in order once ready.
// Turns read it through a channel with the socket's shape (on / emit / disconnect), so the turn code is
// the same as for a single socket; the channel adds `connection` events and `gave-up`.
// Must never: drop buffered input silently, let Socket.IO reconnect by itself, or keep a timer after close.
import { abortable } from '../../util/abortable';
import { EventEmitter } from 'node:events';
import type { Socket } from 'socket.io-client';
import type { ConnectionEvent } from '../../../../shared/events';
import { UpstreamError } from '../upstream-error';
import { connectError, openSocket, type SocketTarget } from './endpoint-socket';

export interface ConnectionSettings extends SocketTarget {
  readyTimeoutMs: number;
  reconnectIntervalMs: number;
  /** 0 = no limit. */
  reconnectionLimit: number;
}

export type ConnectionNote = Omit<ConnectionEvent, 'type' | 'turnId' | 'at' | 'position'>;

/** What a turn listens to: the socket's events, plus `connection` (ConnectionNote) and `gave-up` (UpstreamError). */
export interface EndpointChannel {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Socket.IO listeners take any payload
  on(event: string, listener: (...args: any[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  /** Stops this channel's listening; the connection stays for the next turn. */
  disconnect(): unknown;
  /** After disconnect: `listener` keeps hearing `event` until the next channel opens (or the connection closes). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as `on`
  linger(event: string, listener: (...args: any[]) => void): void;
}

export interface EndpointConnection {
  /** Connects if needed and resolves once ready (or the bounded wait for ready ran out). */
  channel(signal: AbortSignal, onNotice: (text: string) => void): Promise<{ socket: EndpointChannel; ready: boolean }>;
  /** The user's typing state, sent only when connected and ready (a stale typing state is not worth buffering). */
  sendTyping(status: 'typingOn' | 'typingOff'): boolean;
  readonly state: 'idle' | 'connecting' | 'ready' | 'reconnecting' | 'gave-up' | 'closed';
  close(): void;
}

const SERVER_EVENTS = ['output', 'finalPing', 'typingStatus', 'exception'] as const;
const MAX_UNDELIVERED = 100;

export function createEndpointConnection(s: ConnectionSettings, sessionId: string): EndpointConnection {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let state: EndpointConnection['state'] = 'idle';
  let socket: Socket | undefined;
  let ready = false;
  let attempts = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let first: Promise<boolean> | undefined;
  const buffer: Array<{ event: string; args: unknown[]; at: number }> = [];

  // Notes nobody listens to yet (the first connect, a reconnect between turns) go to the next turn.
  const undelivered: ConnectionNote[] = [];
  const note = (n: ConnectionNote) => {
    if (bus.listenerCount('connection') > 0) bus.emit('connection', n);
    else if (undelivered.push(n) > MAX_UNDELIVERED) undelivered.shift();
  };
  // A function, not a narrowed comparison: close() may run while an attempt is awaited.
  const closed = () => state === 'closed';
  let unheard = 0;
  // The last turn's lingering listener (its typing state after finalPing), until the next turn's channel.
  let channels = 0;
  let trailing: [string, (...a: unknown[]) => void] | undefined;
  const dropTrailing = () => {
    if (trailing) bus.off(...trailing);
    trailing = undefined;
  };

  const sendNow = (event: string, args: unknown[]) => {
    if (event === 'processInput') attempts = 0;
    socket?.emit(event, ...args);
  };
  const flush = () => {
    if (!buffer.length) return;
    const items = buffer.splice(0);
    for (const b of items) sendNow(b.event, b.args);
    note({ state: 'input-sent', buffered: items.length, waitedMs: Date.now() - items[0]!.at });
  };

  /** One connect attempt: resolves true once ready (or after the bounded ready wait), rejects on failure. */
  const attempt = (): Promise<boolean> =>
    new Promise<boolean>((resolve, reject) => {
      const started = Date.now();
      const sock = openSocket(s, sessionId);
      socket = sock;
      let settled = false;
      let readyTimer: NodeJS.Timeout | undefined;
      const settle = (ok: boolean, err?: UpstreamError) => {
        if (settled) return;
        settled = true;
        clearTimeout(readyTimer);
        if (err) reject(err);
        else resolve(ok);
      };
      for (const e of SERVER_EVENTS) {
        sock.on(e, (...args: unknown[]) => {
          if (e === 'exception' && !settled) {
            sock.disconnect();
            const code = (args[0] as { code?: unknown } | undefined)?.code;
            return settle(false, new UpstreamError(code === 'token_revoked' ? 'policy' : 'auth', `the Socket Endpoint refused the connection: ${describe(args[0])} (check the URL token)`));
          }
          if (bus.listenerCount(e) > 0) bus.emit(e, ...args);
          else {
            // Between turns nobody listens: ack so the server does not count it failed, and say so next turn.
            const ack = args.at(-1);
            if (typeof ack === 'function') (ack as () => void)();
            if (e === 'output') unheard++;
          }
        });
      }
      sock.on('connect_error', (err: Error) => {
        sock.disconnect();
        settle(false, connectError(s, err));
      });
      sock.on('connect', () => {
        ready = false;
        const transport = (sock.io.engine?.transport?.name ?? s.transport) as ConnectionNote['transport'];
        note({ state: 'connected', ...(transport === 'websocket' || transport === 'polling' ? { transport } : {}) });
        readyTimer = setTimeout(() => {
          ready = true;
          state = 'ready';
          note({ state: 'ready-timeout', readyMs: Date.now() - started });
          flush();
          settle(false);
        }, s.readyTimeoutMs);
      });
      sock.on('endpoint-ready', () => {
        clearTimeout(readyTimer);
        ready = true;
        state = 'ready';
        note({ state: 'ready', readyMs: Date.now() - started });
        flush();
        settle(true);
      });
      sock.on('disconnect', (reason: string) => {
        if (socket !== sock || state === 'closed') return;
        ready = false;
        if (!settled) return settle(false, new UpstreamError('network', `the Socket Endpoint closed the connection before it was ready (${reason})`));
        note({ state: 'disconnected', reason });
        scheduleReconnect();
      });
    });

  const scheduleReconnect = () => {
    if (state === 'closed') return;
    state = 'reconnecting';
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void reconnect(), s.reconnectIntervalMs);
  };
  const reconnect = async () => {
    if (state === 'closed') return;
    attempts++;
    note({ state: 'reconnecting', attempt: attempts, limit: s.reconnectionLimit });
    try {
      await attempt();
    } catch (err) {
      if (closed()) return;
      if (s.reconnectionLimit !== 0 && attempts >= s.reconnectionLimit) {
        state = 'gave-up';
        const reason = (err as Error).message;
        note({ state: 'gave-up', attempt: attempts, limit: s.reconnectionLimit, reason });
        const dropped = buffer.splice(0).length;
        bus.emit(
          'gave-up',
          new UpstreamError(
            'reconnection_limit',
            `gave up reconnecting to the Socket Endpoint after ${attempts} attempt${attempts === 1 ? '' : 's'} (RECONNECTION_LIMIT)${dropped ? `; ${dropped} buffered input${dropped === 1 ? ' was' : 's were'} not sent` : ''}: ${reason}`,
          ),
        );
        return;
      }
      scheduleReconnect();
    }
  };

  return {
    get state() {
      return state;
    },
    async channel(signal, onNotice) {
      if (state === 'closed') throw new UpstreamError('internal', 'the endpoint connection is closed');
      if (state === 'idle' || state === 'gave-up') {
        state = 'connecting';
        attempts = 0;
        first = attempt().catch((err: unknown) => {
          state = 'idle';
          socket = undefined;
          throw err;
        });
      }
      dropTrailing();
      const mine = ++channels;
      const listeners: Array<[string, (...a: unknown[]) => void]> = [];
      const channel: EndpointChannel = {
        on(event, listener) {
          bus.on(event, listener);
          listeners.push([event, listener]);
          if (event === 'connection' && undelivered.length) for (const n of undelivered.splice(0)) listener(n);
          return channel;
        },
        emit(event, ...args) {
          if (socket?.connected && ready) sendNow(event, args);
          // Input waits for ready; a typing state that could not go out now is stale later: not buffered.
          else if (event === 'processInput') {
            buffer.push({ event, args, at: Date.now() });
            note({ state: 'input-buffered', buffered: buffer.length });
          }
          return true;
        },
        disconnect() {
          for (const [e, l] of listeners.splice(0)) bus.off(e, l);
        },
        linger(event, listener) {
          if (mine !== channels || state === 'closed') return; // a newer turn has started: it is that one's
          dropTrailing();
          bus.on(event, listener);
          trailing = [event, listener];
        },
      };
      if (state === 'connecting' && first) {
        const said = await abortable(first, signal, 'connecting to the endpoint');
        if (!said) onNotice(`no endpoint-ready within ${s.readyTimeoutMs} ms; sending anyway (Cognigy.AI before 4.79 does not send it)`);
      }
      if (unheard) {
        onNotice(`${unheard} output${unheard === 1 ? '' : 's'} arrived between turns (acked, not part of any answer)`);
        unheard = 0;
      }
      // Reconnecting: the turn starts now and its input waits in the buffer for the next ready.
      return { socket: channel, ready };
    },
    sendTyping(status) {
      if (!socket?.connected || !ready) return false;
      socket.emit('typingStatus', { status });
      return true;
    },
    close() {
      state = 'closed';
      clearTimeout(retryTimer);
      buffer.length = 0;
      socket?.disconnect();
      socket = undefined;
      bus.removeAllListeners();
    },
  };
}

function describe(err: unknown): string {
  if (typeof err === 'string') return err;
  const o = err as { message?: unknown; error?: unknown } | undefined;
  if (typeof o?.message === 'string') return o.message;
  if (typeof o?.error === 'string') return o.error;
  try {
    return JSON.stringify(err)?.slice(0, 300) ?? String(err);
  } catch {
    return String(err);
  }
}
