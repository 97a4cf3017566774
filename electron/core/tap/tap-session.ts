// One tapped frontend connection as a live debugger session: every `processInput` the frontend sends
// starts a turn of an ordinary session engine, whose upstream does not connect anywhere but reads the
// tapped connection's server events through the very code that reads a socket endpoint turn
// (runSocketEndpointTurn with an observing socket). So a tapped answer gets the same reassembly, filter,
// structured outputs, usage and recording as one the debugger asked for itself.
// Must never: send anything upstream (the frontend does), ack anything (the frontend does), or retry.
import { EventEmitter } from 'node:events';
import type { SocketEndpointEnvironment } from '../../../shared/environment';
import type { WebchatMode } from '../../../shared/webchat';
import type { FallbackMessages } from '../fallbacks';
import type { CompiledPolicy } from '../filters';
import { createMemoryStore } from '../secrets/memory-store';
import { createSessionEngine, type SessionEngine } from '../session/session-engine';
import { runSocketEndpointTurn, type EndpointSocket } from '../upstreams/socket-endpoint/socket-endpoint-stream';
import { decideSessionIdentity } from '../upstreams/session-identity';
import { socketEndpointOptions } from '../upstreams/socket-endpoint/socket-endpoint-upstream';
import type { Upstream } from '../upstreams/upstream';
import { UpstreamError } from '../upstreams/upstream-error';
import type { TapConnectionInfo, TapHooks } from './tap-proxy';

/** Server events kept for a turn that has not started yet (outputs racing the next processInput). */
const MAX_WAITING_EVENTS = 10_000;
const NO_ACK = () => undefined;

export interface TapSessionOptions {
  environment: SocketEndpointEnvironment;
  compiled: CompiledPolicy;
  fallbacks?: FallbackMessages;
  idleTimeoutMs?: number;
  /** Replaces what the frontend receives (--enforce-policy); absent = the frontend gets exactly what Cognigy sent. */
  transform?(event: string, args: unknown[]): unknown[][] | undefined;
  /** How each tapped turn is previewed in Webchat (default: as the endpoint's own settings say). */
  webchat?: WebchatMode;
  /** Something the tap noticed about this connection (flooding, a never-acking frontend, …). */
  onIssue?(detail: string): void;
}

export interface TapSession {
  readonly info: TapConnectionInfo;
  readonly engine: SessionEngine;
  /** Resolves once the connection has ended and its last turn is over. */
  readonly ended: Promise<{ by: string; reason: string }>;
  readonly hooks: TapHooks;
}

/** A socket that only observes: turns read from it; it sends nothing and acks nothing. */
class ObservedSocket implements EndpointSocket {
  private readonly em = new EventEmitter();
  private waiting: Array<[string, unknown[]]> = [];
  private flushed = false;
  detached = false;
  /** `onLinger`: the turn's listener for what follows its end, until the next tapped turn starts. */
  constructor(private readonly onLinger: (event: string, listener: (...args: unknown[]) => void) => void) {}

  on(event: string, listener: (...args: unknown[]) => void): this {
    this.em.on(event, listener);
    // The turn registers all its listeners in one go: deliver what was waiting right after.
    if (!this.flushed) {
      this.flushed = true;
      queueMicrotask(() => {
        for (const [e, a] of this.waiting.splice(0)) this.dispatch(e, a);
      });
    }
    return this;
  }
  emit(): this {
    return this;
  }
  disconnect(): this {
    this.detached = true;
    this.em.removeAllListeners();
    return this;
  }
  linger(event: string, listener: (...args: unknown[]) => void): void {
    this.onLinger(event, listener);
  }
  /** false once the turn stopped listening: the event belongs to the next turn. */
  deliver(event: string, args: unknown[]): boolean {
    if (this.detached) return false;
    if (this.flushed && this.waiting.length === 0) this.dispatch(event, args);
    else this.waiting.push([event, args]);
    return true;
  }
  private dispatch(event: string, args: unknown[]): void {
    if (!this.detached) this.em.emit(event, ...args, NO_ACK);
  }
}

export function createTapSession(info: TapConnectionInfo, o: TapSessionOptions): TapSession {
  let current: ObservedSocket | undefined;
  // The last tapped turn's listener for what follows its end (the bot's typingOff after finalPing).
  let trailing: { event: string; listener: (...args: unknown[]) => void } | undefined;
  const inputs: Array<{ text: string; scenario?: string }> = [];
  const waiting: Array<[string, unknown[]]> = [];
  let closedBy: { by: string; reason: string } | undefined;
  let resolveEnded!: (v: { by: string; reason: string }) => void;
  const ended = new Promise<{ by: string; reason: string }>((r) => (resolveEnded = r));

  // The tapped frontend's own ids are the session's: the tap only observes its conversation.
  const identity = decideSessionIdentity(o.environment, { ...(info.query.sessionId ? { sessionId: info.query.sessionId } : {}), ...(info.query.userId ? { userId: info.query.userId } : {}) });
  const options = socketEndpointOptions(o.environment, identity);
  const upstream: Upstream = {
    kind: 'socket-endpoint',
    runTurn: (req, sink) =>
      runSocketEndpointTurn(options, req, sink, () => {
        if (!current) return Promise.reject(new UpstreamError('internal', 'no tapped turn is waiting for events'));
        return Promise.resolve({ socket: current, ready: true });
      }),
    close: async () => undefined,
  };
  const engine = createSessionEngine({
    environment: o.environment,
    secrets: createMemoryStore({}),
    compiledPolicy: o.compiled,
    ...(o.fallbacks ? { fallbacks: o.fallbacks } : {}),
    ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
    upstream,
    // A tapped turn is the frontend's: retrying it is the frontend's decision, not ours.
    maxRateLimitAttempts: 1,
    identity,
  });

  const startNext = () => {
    if (current) return;
    const next = inputs.shift();
    if (!next) {
      if (closedBy) void engine.close().finally(() => resolveEnded(closedBy!));
      return;
    }
    trailing = undefined;
    const socket: ObservedSocket = new ObservedSocket((event, listener) => {
      if (current === socket) trailing = { event, listener };
    });
    current = socket;
    for (const [e, a] of waiting.splice(0)) socket.deliver(e, a);
    if (closedBy) socket.deliver('disconnect', [closedBy.reason]);
    void engine
      .startTurn({ input: next.text, ...(next.scenario ? { scenario: next.scenario } : {}), webchat: o.webchat ?? 'endpoint' })
      .catch((err: unknown) => o.onIssue?.(`a tapped turn could not run: ${(err as Error)?.message ?? String(err)}`))
      .finally(() => {
        socket.disconnect();
        if (current === socket) current = undefined;
        startNext();
      });
  };

  const fromServer = (event: string, args: unknown[]) => {
    if (current?.deliver(event, args)) return;
    if (trailing?.event === event) return trailing.listener(...args, NO_ACK);
    if (event === 'typingStatus' || event === 'endpoint-ready') return; // belongs to no answer
    if (waiting.length >= MAX_WAITING_EVENTS) waiting.shift();
    waiting.push([event, args]);
    // The bot spoke without a user input (a greeting, an agent, an engagement message): a turn of its own.
    if (!current && inputs.length === 0 && event === 'output') {
      inputs.push({ text: '' });
      startNext();
    }
  };

  const hooks: TapHooks = {
    clientEvent(event, args) {
      if (event !== 'processInput') return;
      const p = (args[0] ?? {}) as { text?: unknown; data?: { scenario?: unknown } | null };
      const scenario = typeof p.data?.scenario === 'string' ? p.data.scenario : undefined;
      inputs.push({ text: typeof p.text === 'string' ? p.text : '', ...(scenario ? { scenario } : {}) });
      startNext();
    },
    serverEvent(event, args) {
      fromServer(event, args);
      return o.transform?.(event, args);
    },
    issue: (detail) => o.onIssue?.(detail),
    closed(by, reason) {
      closedBy = { by, reason };
      inputs.length = 0; // never answered: the connection is gone
      if (current) current.deliver('disconnect', [reason]);
      else startNext();
    },
  };

  return { info, engine, ended, hooks };
}
