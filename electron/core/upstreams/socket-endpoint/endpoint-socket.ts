// Opening one Socket.IO connection to a Cognigy Socket Endpoint the way the official clients do: the
// server part of the endpoint URL as origin, `<path>/socket.io` when the endpoint sits under a sub-path,
// the official query (sessionId, urlToken, userId, testMode, emitWithAck), Socket.IO's own reconnection
// off (the caller runs its own loop), and the environment's transport: WebSocket only (the v5 client's
// default) or polling with upgrade. A refused transport becomes an error that names it.
import { io, type Socket } from 'socket.io-client';
import type { SocketTransport } from '../../../../shared/events';
import { UpstreamError } from '../upstream-error';

export interface SocketTarget {
  /** Server part of the endpoint URL, with the sub-path if any: `https://host` or `https://host/cognigy`. */
  serverUrl: string;
  urlToken: string;
  userId: string;
  testMode: boolean;
  transport: SocketTransport;
}

export const CONNECT_TIMEOUT_MS = 10_000;

/** Origin and Socket.IO path of an endpoint server URL (sub-path → `<path>/socket.io`). */
export function socketAddress(serverUrl: string): { origin: string; path: string } {
  const u = new URL(serverUrl);
  const base = u.pathname.replace(/\/+$/, '');
  return { origin: u.origin, path: `${base}/socket.io` };
}

export function openSocket(t: SocketTarget, sessionId: string): Socket {
  const { origin, path } = socketAddress(t.serverUrl);
  return io(origin, {
    path,
    query: { sessionId, urlToken: t.urlToken, userId: t.userId, testMode: String(t.testMode), emitWithAck: 'true' },
    transports: t.transport === 'websocket' ? ['websocket'] : ['polling', 'websocket'],
    upgrade: t.transport !== 'websocket',
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
}

const OTHER: Record<SocketTransport, string> = { websocket: 'polling', polling: 'websocket' };

/**
 * A connect_error as a typed error a person can act on. A server that answers the transport's first request
 * with an HTTP error (engine.io's 400 "Transport unknown") refuses that transport: the message names it and
 * the setting to change; anything else is a network failure naming the address.
 */
export function connectError(t: SocketTarget, err: Error & { description?: unknown; context?: unknown }): UpstreamError {
  const { origin, path } = socketAddress(t.serverUrl);
  const where = `${origin}${path}`;
  const desc = err.description;
  const detail = [err.message, typeof desc === 'number' ? `HTTP ${desc}` : describeDescription(desc)].filter(Boolean).join(': ');
  const status = typeof desc === 'number' ? desc : /Unexpected server response: (\d{3})/.exec(describeDescription(desc))?.[1];
  const refusedCode = status !== undefined ? Number(status) : undefined;
  if (refusedCode !== undefined && refusedCode >= 400 && refusedCode < 500 && refusedCode !== 404) {
    const used = t.transport === 'websocket' ? 'WebSocket' : 'polling';
    return new UpstreamError(
      'network',
      `the Socket Endpoint at ${where} refused the ${used} transport (${detail}); it may offer ${OTHER[t.transport]} only: set the environment's transport to "${OTHER[t.transport]}"`,
    );
  }
  if (refusedCode === 404) return new UpstreamError('not_found', `no Socket.IO endpoint at ${where} (${detail}): check the endpoint URL and its sub-path`);
  return new UpstreamError('network', `could not connect to the Socket Endpoint at ${where} over ${t.transport === 'websocket' ? 'WebSocket' : 'polling'}: ${detail}`);
}

function describeDescription(d: unknown): string {
  if (d === undefined || d === null) return '';
  if (typeof d === 'string') return d;
  if (d instanceof Error) return d.message;
  const o = d as { message?: unknown; error?: { message?: unknown } };
  if (typeof o.message === 'string') return o.message;
  if (typeof o.error?.message === 'string') return o.error.message;
  return '';
}
