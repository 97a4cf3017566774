// "Test connection" for a Socket Endpoint: connect and wait for endpoint-ready; say whether answers will be
// written back (management API URL and whether its key is set, never the key).
import type { SocketEndpointEnvironment } from '../../../../shared/environment';
import type { ConnectionReport } from '../../../../shared/ipc';
import type { SecretStore } from '../../secrets/secret-store';
import { failedReport } from '../connection-report';
import { decideSessionIdentity } from '../session-identity';
import { connectEndpoint } from './socket-endpoint-stream';
import { socketEndpointOptions } from './socket-endpoint-upstream';

export async function testSocketEndpointConnection(env: SocketEndpointEnvironment, secrets: SecretStore, opts: { signal: AbortSignal }): Promise<ConnectionReport> {
  const lines: string[] = [];
  try {
    const o = socketEndpointOptions(env, decideSessionIdentity(env));
    lines.push(`socket endpoint ${o.serverUrl} · URL token set`);
    const notices: string[] = [];
    const { socket, ready } = await connectEndpoint(o, `connection-test-${Date.now()}`, opts.signal, (t) => notices.push(t));
    socket.disconnect();
    lines.push(ready ? '✓ connected; endpoint-ready received' : `✓ connected; ${notices[0] ?? 'no endpoint-ready'}`);
    if (env.socketEndpoint.apiUrl) {
      const status = await secrets.status(env.name);
      lines.push(`  management API ${env.socketEndpoint.apiUrl} · API key ${status['api-key']}`);
    } else {
      lines.push('  no management API URL: answers will not be synced into the session context');
    }
    return { ok: true, upstream: 'socket-endpoint', lines, endpointReady: ready };
  } catch (err) {
    return failedReport(env, err, lines);
  }
}
