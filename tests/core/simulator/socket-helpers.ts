// A raw socket.io-client (v4, as Webchat v3's client uses) against the simulated Socket Endpoint, recording
// every event of a turn in order. Waits on the events themselves, each wait bounded and failing loudly.
import { io, type Socket } from 'socket.io-client';
import type { Simulator } from '../../../electron/core/simulator/index';
import { CREDS } from './helpers';

export type Recorded = { event: string; payload: unknown; acked: boolean };
export type WireOut = {
  type: string;
  data: { text: string; data: { _cognigy?: Record<string, unknown> } & Record<string, unknown>; source?: string; traceId?: string; disableSensitiveLogging?: boolean };
};

export function connectRaw(sim: Simulator, o: { sessionId?: string; transports?: string[]; path?: string } = {}): Socket {
  return io(sim.url, {
    path: o.path ?? sim.socketPath,
    query: { urlToken: CREDS.urlToken, sessionId: o.sessionId ?? 'sess-raw', userId: 'user-raw', testMode: 'true', emitWithAck: 'true' },
    transports: o.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
  });
}

/** Resolves with the next `event` on the socket; rejects after `ms`. */
export function next<T = unknown>(socket: Socket, event: string, ms = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/**
 * Sends one processInput and records everything until the turn's closing typingOff (which the simulator
 * sends right after finalPing), acking outputs and finalPing. Rejects after `ms`.
 */
export function recordTurn(socket: Socket, text: string, data: Record<string, unknown>, o: { sessionId?: string; ms?: number } = {}): Promise<Recorded[]> {
  const events: Recorded[] = [];
  return new Promise((resolve, reject) => {
    let sawFinal = false;
    const timer = setTimeout(() => {
      socket.offAny(onAny);
      reject(new Error(`turn "${text}" did not end within ${o.ms ?? 10_000} ms (${events.length} events)`));
    }, o.ms ?? 10_000);
    const onAny = (event: string, ...args: unknown[]) => {
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (last as () => void) : undefined;
      ack?.();
      events.push({ event, payload: args[0], acked: Boolean(ack) });
      if (event === 'finalPing') sawFinal = true;
      if (sawFinal && event === 'typingStatus' && (args[0] as { status?: string })?.status === 'typingOff') {
        clearTimeout(timer);
        socket.offAny(onAny);
        resolve(events);
      }
    };
    socket.onAny(onAny);
    socket.emit('processInput', { URLToken: CREDS.urlToken, userId: 'user-raw', sessionId: o.sessionId ?? 'sess-raw', channel: 'socket-client', source: 'device', passthroughIP: null, resetFlow: false, text, data });
  });
}

export const outputsOf = (ev: Recorded[]): WireOut[] => ev.filter((e) => e.event === 'output').map((e) => e.payload as WireOut);
export const textOf = (ev: Recorded[]): string => outputsOf(ev).filter((o) => o.type === 'output' && typeof o.data?.text === 'string').map((o) => o.data.text).join('');
