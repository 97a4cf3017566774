// The failed connection report every kind's "Test connection" ends with: the typed cause and message,
// after the lines gathered so far. Never includes a secret.
import type { Environment } from '../../../shared/environment';
import type { ConnectionReport } from '../../../shared/ipc';
import { UpstreamError } from './upstream-error';

export function failedReport(env: Environment, err: unknown, lines: string[]): ConnectionReport {
  const e = err instanceof UpstreamError ? err : new UpstreamError('internal', (err as Error)?.message ?? String(err));
  return { ok: false, upstream: env.kind, lines: [...lines, `✗ ${e.kind}: ${e.message}`], cause: e.kind, error: e.message };
}
