// The socket-endpoint upstream for one environment: turns over Socket.IO, sync through context inject.
import type { Environment } from '../../../../shared/environment';
import type { SecretStore } from '../../secrets/secret-store';
import type { Upstream } from '../upstream';
import { UpstreamError } from '../upstream-error';
import { createContextInjectSender } from './context-inject';
import { endpointServerUrl } from './endpoint-url';
import { runSocketEndpointTurn, type SocketEndpointOptions } from './socket-endpoint-stream';

export interface SocketEndpointUpstream extends Upstream {
  readonly options: SocketEndpointOptions;
  readonly contextInjectSender: ReturnType<typeof createContextInjectSender>;
}

export function socketEndpointOptions(env: Environment, userId: string): SocketEndpointOptions {
  const s = env.socketEndpoint;
  if (!s) throw new UpstreamError('bad_request', `environment "${env.name}" has no socket endpoint settings`);
  return {
    serverUrl: endpointServerUrl(s.endpointUrl, s.urlToken),
    urlToken: s.urlToken,
    userId: s.userId ?? userId,
    channel: s.channel ?? 'stream-debugger',
    testMode: s.testMode ?? true,
  };
}

export function createSocketEndpointUpstream(env: Environment, secrets: SecretStore, userId: string): SocketEndpointUpstream {
  const options = socketEndpointOptions(env, userId);
  return {
    kind: 'socket-endpoint',
    options,
    contextInjectSender: createContextInjectSender(env.name, secrets),
    runTurn: (req, sink) => runSocketEndpointTurn(options, req, sink),
    async close() {},
  };
}
