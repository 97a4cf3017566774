// "Test connection" for an environment (CLI `env test`, the app's button), by its kind's descriptor:
// gateway — a token with its expiry and scopes; socket endpoint — connect and wait for endpoint-ready.
// Reports, never throws; never includes a secret or token in what it says.
import type { Environment } from '../../../shared/environment';
import type { ConnectionReport } from '../../../shared/ipc';
import type { SecretStore } from '../secrets/secret-store';
import { withUpstream } from './registry';

export type { ConnectionReport };

export function testConnection(env: Environment, secrets: SecretStore, opts: { signal?: AbortSignal; now?: () => number } = {}): Promise<ConnectionReport> {
  const signal = opts.signal ?? AbortSignal.timeout(20_000);
  const now = opts.now ?? Date.now;
  return withUpstream(env, (d, e) => d.testConnection(e, secrets, { signal, now }));
}
