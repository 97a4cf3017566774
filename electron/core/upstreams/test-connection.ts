// "Test connection" for an environment (CLI `env test`, the app's button): gateway — get a token and show
// its expiry, granted scopes and any missing ones; socket endpoint — connect and wait for endpoint-ready.
// Reports, never throws; never includes a secret or token in what it says.
import type { Environment } from '../../../shared/environment';
import type { ConnectionReport } from '../../../shared/ipc';
import type { SecretStore } from '../secrets/secret-store';
import { createOAuthForEnvironment } from './gateway/gateway-upstream';
import { decideSessionIdentity } from './session-identity';
import { connectEndpoint } from './socket-endpoint/socket-endpoint-stream';
import { socketEndpointOptions } from './socket-endpoint/socket-endpoint-upstream';
import { UpstreamError } from './upstream-error';

export type { ConnectionReport };

function failed(env: Environment, err: unknown, lines: string[]): ConnectionReport {
  const e = err instanceof UpstreamError ? err : new UpstreamError('internal', (err as Error)?.message ?? String(err));
  return { ok: false, upstream: env.kind, lines: [...lines, `✗ ${e.kind}: ${e.message}`], cause: e.kind, error: e.message };
}

export async function testConnection(env: Environment, secrets: SecretStore, opts: { signal?: AbortSignal; now?: () => number } = {}): Promise<ConnectionReport> {
  const signal = opts.signal ?? AbortSignal.timeout(20_000);
  const now = opts.now ?? Date.now;
  if (env.kind === 'gateway') {
    const lines: string[] = [];
    try {
      const { oauth, baseUrl } = createOAuthForEnvironment(env, secrets);
      lines.push(`gateway ${baseUrl} · client ${env.gateway!.clientId}`);
      const t = await oauth.getToken(signal);
      const mins = Math.round((t.expiresAt - now()) / 60_000);
      lines.push(`✓ token granted, expires ${new Date(t.expiresAt).toISOString()} (in ${mins} min)`);
      lines.push(`  granted scopes: ${t.scopes.join(' ') || '(none)'}`);
      if (t.missingScopes.length) lines.push(`  ⚠ missing scopes: ${t.missingScopes.join(' ')} — ask your Cognigy admin to grant them to this client`);
      return {
        ok: t.missingScopes.length === 0,
        upstream: 'gateway',
        lines,
        tokenExpiresAt: t.expiresAt,
        grantedScopes: t.scopes,
        missingScopes: t.missingScopes,
        ...(t.missingScopes.length ? { cause: 'forbidden' as const, error: `missing scopes: ${t.missingScopes.join(' ')}` } : {}),
      };
    } catch (err) {
      return failed(env, err, lines);
    }
  }
  const lines: string[] = [];
  try {
    const o = socketEndpointOptions(env, decideSessionIdentity(env));
    lines.push(`socket endpoint ${o.serverUrl} · URL token set`);
    const notices: string[] = [];
    const { socket, ready } = await connectEndpoint(o, `connection-test-${Date.now()}`, signal, (t) => notices.push(t));
    socket.disconnect();
    lines.push(ready ? '✓ connected; endpoint-ready received' : `✓ connected; ${notices[0] ?? 'no endpoint-ready'}`);
    if (env.socketEndpoint?.apiUrl) {
      const status = await secrets.status(env.name);
      lines.push(`  management API ${env.socketEndpoint.apiUrl} · API key ${status['api-key']}`);
    } else {
      lines.push('  no management API URL: answers will not be synced into the session context');
    }
    return { ok: true, upstream: 'socket-endpoint', lines, endpointReady: ready };
  } catch (err) {
    return failed(env, err, lines);
  }
}
