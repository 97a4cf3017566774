// The socket-endpoint upstream for one environment: turns over Socket.IO, sync through context inject.
import type { SocketEndpointEnvironment } from '../../../../shared/environment';
import type { SecretStore } from '../../secrets/secret-store';
import type { SessionIdentity } from '../session-identity';
import type { Upstream } from '../upstream';
import { createContextInjectSender } from './context-inject';
import { endpointServerUrl } from './endpoint-url';
import { createEndpointConnection, type EndpointConnection } from './endpoint-connection';
import {
  DEFAULT_READY_TIMEOUT_MS,
  DEFAULT_RECONNECT_INTERVAL_MS,
  DEFAULT_RECONNECTION_LIMIT,
  runSocketEndpointTurn,
  type SocketEndpointOptions,
} from './socket-endpoint-stream';

export interface SocketEndpointUpstream extends Upstream {
  readonly options: SocketEndpointOptions;
  readonly contextInjectSender: ReturnType<typeof createContextInjectSender>;
}

/** The endpoint options for one session: who it is comes from its identity, decided once (session-identity.ts). */
export function socketEndpointOptions(env: SocketEndpointEnvironment, identity: Pick<SessionIdentity, 'userId' | 'channel'>): SocketEndpointOptions {
  const s = env.socketEndpoint;
  return {
    serverUrl: endpointServerUrl(s.endpointUrl, s.urlToken),
    urlToken: s.urlToken,
    userId: identity.userId,
    channel: identity.channel ?? s.channel,
    testMode: s.testMode,
    transport: s.transport,
    reconnectIntervalMs: s.reconnectIntervalMs,
    reconnectionLimit: s.reconnectionLimit,
    resetFlow: s.resetFlow,
    passthroughIP: s.passthroughIP,
    ...(s.usagePath ? { usagePath: s.usagePath } : {}),
  };
}

export function createSocketEndpointUpstream(env: SocketEndpointEnvironment, secrets: SecretStore, identity: SessionIdentity): SocketEndpointUpstream {
  const options = socketEndpointOptions(env, identity);
  // One connection per session, kept across turns: its reconnect loop and input buffer outlive a turn.
  let connection: EndpointConnection | undefined;
  let sessionOf: string | undefined;
  const connectionFor = (sessionId: string): EndpointConnection => {
    if (!connection || sessionOf !== sessionId) {
      connection?.close();
      sessionOf = sessionId;
      connection = createEndpointConnection(
        {
          serverUrl: options.serverUrl,
          urlToken: options.urlToken,
          userId: options.userId,
          testMode: options.testMode,
          transport: options.transport ?? 'websocket',
          readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
          reconnectIntervalMs: options.reconnectIntervalMs ?? DEFAULT_RECONNECT_INTERVAL_MS,
          reconnectionLimit: options.reconnectionLimit ?? DEFAULT_RECONNECTION_LIMIT,
        },
        sessionId,
      );
    }
    return connection;
  };
  return {
    kind: 'socket-endpoint',
    options,
    contextInjectSender: createContextInjectSender(env.name, secrets),
    runTurn: (req, sink) => runSocketEndpointTurn(options, req, sink, (_o, sessionId, signal, onNotice) => connectionFor(sessionId).channel(signal, onNotice)),
    sendTyping: (status) => connection?.sendTyping(status) ?? false,
    async close() {
      connection?.close();
      connection = undefined;
    },
  };
}
