// "Test connection" for a gateway: get a token and show its expiry, granted scopes and any missing ones.
import type { GatewayEnvironment } from '../../../../shared/environment';
import type { ConnectionReport } from '../../../../shared/ipc';
import type { SecretStore } from '../../secrets/secret-store';
import { failedReport } from '../connection-report';
import { createOAuthForEnvironment } from './gateway-upstream';

export async function testGatewayConnection(env: GatewayEnvironment, secrets: SecretStore, opts: { signal: AbortSignal; now: () => number }): Promise<ConnectionReport> {
  const lines: string[] = [];
  try {
    const { oauth, baseUrl } = createOAuthForEnvironment(env, secrets);
    lines.push(`gateway ${baseUrl} · client ${env.gateway.clientId}`);
    const t = await oauth.getToken(opts.signal);
    const mins = Math.round((t.expiresAt - opts.now()) / 60_000);
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
    return failedReport(env, err, lines);
  }
}
