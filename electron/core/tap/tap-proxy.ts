// The tap's transport: a local Socket.IO server that a frontend (Webchat, a custom socket client) uses
// instead of Cognigy's Socket Endpoint. For each frontend connection it opens exactly one connection to the
// one configured upstream with the same query, forwards every event both ways and bridges acks, so each
// side sees the other's real behaviour: an ack the frontend never sent is never invented, a disconnect on
// one side is a disconnect on the other. The endpoint's HTTP routes on /<URLToken> (Webchat's settings GET,
// the REST endpoint's POST) are passed through too. Observers hook in per connection (the debugger's
// engine, a recorder) and may replace what goes downstream (--enforce-policy).
// Must never: connect anywhere but the configured upstream (whatever the frontend asks), answer a Host that
// is not its own, let one frontend starve the others, or print the URL token in full.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as FrontendSocket } from 'socket.io';
import { io as connectUpstream, type Socket as UpstreamSocket } from 'socket.io-client';
import { LOOPBACK_BIND, isOwnHost } from '../net/own-host';
import { endpointServerUrl } from '../upstreams/socket-endpoint/endpoint-url';
import { abbreviateToken } from '../secrets/abbreviate';
import { passThroughHttp } from './tap-http';

export type TapTransport = 'websocket' | 'polling';

export interface TapUpstream {
  /** The full endpoint URL: https://endpoint-<env>.cognigy.ai[/sub/path]/<URLToken>. */
  endpointUrl: string;
  urlToken: string;
  /** Transports towards the upstream; default WebSocket only, as Cognigy's v5 client. */
  transports?: TapTransport[];
}

export interface TapConnectionInfo {
  id: string;
  /** The frontend's handshake query as it will be sent upstream (user id, session id, URL token, …). */
  query: Record<string, string>;
  startedAt: string;
}

/** Per-connection observer. Every method is optional and must not throw (a throw is reported, not fatal). */
export interface TapHooks {
  /** frontend → upstream, just before it is forwarded. */
  clientEvent?(event: string, args: unknown[]): void;
  /**
   * upstream → frontend, just before it is forwarded. Returning a list of argument arrays replaces the event
   * with those emits, in order (--enforce-policy); the last one carries the upstream's ack request.
   */
  serverEvent?(event: string, args: unknown[]): unknown[][] | void;
  /** An ack crossed the tap: the frontend acked a server event, or the upstream acked a client event. */
  ack?(by: 'frontend' | 'upstream', event: string): void;
  /** Something the tap did on its own (refused, limited, could not forward). */
  issue?(detail: string): void;
  /** The connection ended; `by` says which side ended it. Called once. */
  closed?(by: 'frontend' | 'upstream' | 'tap', reason: string): void;
}

export interface TapLimits {
  /** Frontend events per second before the frontend is disconnected as flooding. */
  clientEventsPerSecond: number;
  /** Server events the frontend has not acked yet before it is disconnected as never acking. */
  pendingAcks: number;
  /** Frontend connections at once; more are refused. */
  connections: number;
}

export const DEFAULT_TAP_LIMITS: TapLimits = { clientEventsPerSecond: 200, pendingAcks: 10_000, connections: 64 };

export interface TapProxyOptions {
  /** 0 = a free port. */
  port: number;
  upstream: TapUpstream;
  onConnection?(info: TapConnectionInfo): TapHooks | undefined;
  limits?: Partial<TapLimits>;
  /** A frontend was refused because the upstream could not be reached (or the tap was full): why. */
  onRefused?(detail: string): void;
  /** Bound on connecting to the upstream (default 10 s). */
  connectTimeoutMs?: number;
  now?: () => number;
}

export interface TapProxy {
  /** What the frontend is given instead of Cognigy's endpoint URL. */
  readonly url: string;
  readonly port: number;
  /** The upstream as it may be shown: URL token abbreviated. */
  readonly upstreamLabel: string;
  connections(): TapConnectionInfo[];
  close(): Promise<void>;
}

/** Engine.IO's own query keys: they describe the frontend's transport, not the Cognigy session. */
const TRANSPORT_QUERY_KEYS = new Set(['EIO', 'transport', 't', 'b64', 'j', 'sid']);
/** Socket.IO refuses to emit these names; an upstream never sends them as events. */
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

type Ack = (...args: unknown[]) => void;

function splitAck(args: unknown[]): { args: unknown[]; ack?: Ack } {
  const last = args[args.length - 1];
  return typeof last === 'function' ? { args: args.slice(0, -1), ack: last as Ack } : { args };
}

function upstreamQuery(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (TRANSPORT_QUERY_KEYS.has(k)) continue;
    const s: unknown = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string') out[k] = s;
  }
  return out;
}

export async function startTapProxy(opts: TapProxyOptions): Promise<TapProxy> {
  const limits = { ...DEFAULT_TAP_LIMITS, ...opts.limits };
  const now = opts.now ?? Date.now;
  const server = endpointServerUrl(opts.upstream.endpointUrl, opts.upstream.urlToken);
  const serverUrl = new URL(server);
  const upstreamPath = `${serverUrl.pathname.replace(/\/$/, '')}/socket.io`;
  const upstreamLabel = `${server}/${abbreviateToken(opts.upstream.urlToken)}`;
  const live = new Map<string, TapConnectionInfo>();
  let port = opts.port;

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!isOwnHost(req.headers.host, port)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`unexpected Host "${req.headers.host ?? ''}": the tap answers only http://${LOOPBACK_BIND}:${port} (DNS rebinding protection)\n`);
      return;
    }
    void passThroughHttp(req, res, { server, urlToken: opts.upstream.urlToken });
  });

  const io = new Server(http, {
    path: '/socket.io',
    // Frontends on Engine.IO v3 (@cognigy/socket-client 4.x) and v4 (Webchat v3) both connect.
    allowEIO3: true,
    serveClient: false,
    // The frontend under development runs on its own origin (a dev server, a file), as it does against
    // Cognigy, whose endpoint accepts any origin: the tap forwards only to the one upstream, so a page can
    // do through it no more than it could do with the URL token directly.
    cors: { origin: true, credentials: true },
    allowRequest: (req, cb) => cb(isOwnHost(req.headers.host, port) ? null : 'unexpected Host (DNS rebinding protection)', isOwnHost(req.headers.host, port)),
  });

  io.use((socket, next) => {
    const refuse = (message: string) => {
      opts.onRefused?.(message);
      next(new Error(message));
    };
    if (live.size >= limits.connections) return refuse(`the tap already serves ${limits.connections} connections; close some frontends first`);
    const info: TapConnectionInfo = { id: randomUUID(), query: upstreamQuery(socket.handshake.query), startedAt: new Date().toISOString() };
    const up = connectUpstream(server, {
      path: upstreamPath,
      query: info.query,
      transports: opts.upstream.transports ?? ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: opts.connectTimeoutMs ?? 10_000,
    });
    // Upstream events that arrive before the frontend's connection is complete (endpoint-ready comes at
    // once) wait here, in order.
    const early: unknown[][] = [];
    up.onAny((...raw: unknown[]) => early.push(raw));
    // A frontend that goes away while the upstream is still connecting takes the upstream with it.
    socket.conn.once('close', () => {
      if (!socket.connected) up.close();
    });
    up.once('connect', () => {
      (socket.data as { tap?: unknown }).tap = { info, up, early };
      next();
    });
    up.once('connect_error', (err: Error) => {
      up.close();
      // The frontend sees a connect error, as it would if Cognigy itself were unreachable.
      refuse(`the tap could not reach the upstream ${upstreamLabel}: ${err.message}`);
    });
  });

  io.on('connection', (socket: FrontendSocket) => {
    const { info, up, early } = (socket.data as { tap?: unknown }).tap as { info: TapConnectionInfo; up: UpstreamSocket; early: unknown[][] };
    live.set(info.id, info);
    const hooks = safeHooks(opts.onConnection?.(info));
    let closed = false;
    let pendingAcks = 0;
    let windowStart = now();
    let windowCount = 0;

    const close = (by: 'frontend' | 'upstream' | 'tap', reason: string) => {
      if (closed) return;
      closed = true;
      live.delete(info.id);
      hooks.closed(by, reason);
    };

    const toFrontend = (raw: unknown[]) => {
      if (closed) return;
      const [event, ...rest] = raw as [string, ...unknown[]];
      const { args, ack } = splitAck(rest);
      if (RESERVED.has(event)) return hooks.issue(`upstream event "${event}" cannot be forwarded (a Socket.IO reserved name)`);
      const emits = hooks.serverEvent(event, args) ?? [args];
      const sent = emits[emits.length - 1] ?? args;
      for (const extra of emits.slice(0, -1)) socket.emit(event, ...extra);
      if (!ack) {
        socket.emit(event, ...sent);
        return;
      }
      if (pendingAcks >= limits.pendingAcks) {
        hooks.issue(`the frontend left ${pendingAcks} events un-acked: disconnected`);
        socket.disconnect(true);
        return;
      }
      pendingAcks++;
      socket.emit(event, ...sent, (...reply: unknown[]) => {
        pendingAcks--;
        hooks.ack('frontend', event);
        ack(...reply);
      });
    };

    up.offAny();
    for (const raw of early.splice(0)) toFrontend(raw);
    up.onAny((...raw: unknown[]) => toFrontend(raw));

    socket.onAny((event: string, ...rest: unknown[]) => {
      if (closed) return;
      const t = now();
      if (t - windowStart >= 1000) {
        windowStart = t;
        windowCount = 0;
      }
      if (++windowCount > limits.clientEventsPerSecond) {
        hooks.issue(`the frontend sent more than ${limits.clientEventsPerSecond} events in one second: disconnected as flooding`);
        socket.disconnect(true);
        return;
      }
      const { args, ack } = splitAck(rest);
      hooks.clientEvent(event, args);
      if (!ack) {
        up.emit(event, ...args);
        return;
      }
      up.emit(event, ...args, (...reply: unknown[]) => {
        hooks.ack('upstream', event);
        ack(...reply);
      });
    });

    socket.on('disconnect', (reason: string) => {
      up.disconnect();
      close('frontend', reason);
    });
    up.on('disconnect', (reason: string) => {
      if (reason === 'io client disconnect') return; // we closed it
      close('upstream', reason);
      // The server's own disconnect stays a clean one; a broken transport breaks the frontend's transport
      // too, so its reconnect logic runs exactly as it would against Cognigy.
      if (reason === 'io server disconnect') socket.disconnect(true);
      else socket.conn.close();
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, LOOPBACK_BIND, () => {
      http.off('error', reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK_BIND}:${port}/${encodeURIComponent(opts.upstream.urlToken)}`,
    port,
    upstreamLabel,
    connections: () => [...live.values()],
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        void io.close(() => resolve());
      }),
  };

  function safeHooks(h: TapHooks | undefined): Required<TapHooks> {
    const guard =
      <A extends unknown[], R>(name: keyof TapHooks, fn: ((...a: A) => R) | undefined, fallback: R) =>
      (...a: A): R => {
        if (!fn) return fallback;
        try {
          return fn.apply(h, a);
        } catch (err) {
          // An observer's bug must never change the traffic.
          if (name !== 'issue') h?.issue?.(`tap observer ${name} failed: ${(err as Error)?.message ?? String(err)}`);
          return fallback;
        }
      };
    return {
      clientEvent: guard('clientEvent', h?.clientEvent, undefined),
      serverEvent: guard('serverEvent', h?.serverEvent, undefined),
      ack: guard('ack', h?.ack, undefined),
      issue: guard('issue', h?.issue, undefined),
      closed: guard('closed', h?.closed, undefined),
    };
  }
}
