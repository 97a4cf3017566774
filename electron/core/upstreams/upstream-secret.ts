// Reading a secret on the way to an upstream: an unreachable keychain becomes the typed cause `keychain`
// (its own cause, not `internal`), told in plain words — so a connection test, a turn and a sync all say
// the same thing about it. Must never put the secret into an error.
import type { SecretKind } from '../../../shared/environment';
import { KeychainUnavailableError } from '../secrets/keychain-errors';
import type { SecretStore } from '../secrets/secret-store';
import { UpstreamError } from './upstream-error';

/**
 * The secret, for sending to `target` only: a secret bound to another target (the environment was moved
 * after the secret was entered) is refused, so nothing is ever sent to a host it was not stored for.
 */
export async function upstreamSecret(secrets: SecretStore, environment: string, kind: SecretKind, target: string): Promise<string | undefined> {
  let value: string | undefined;
  try {
    value = await secrets.get(environment, kind);
  } catch (err) {
    if (err instanceof KeychainUnavailableError) throw new UpstreamError('keychain', err.summary);
    throw err;
  }
  if (value === undefined || !secrets.bindings || secrets.kind === 'env-fallback') return value;
  const bound = await secrets.bindings.get(environment, kind);
  if (bound === undefined) {
    // Stored before bindings existed (or the bindings file was lost): bound to where it is used first.
    await secrets.bindings.set(environment, kind, target).catch(() => undefined);
    return value;
  }
  if (bound !== target) {
    throw new UpstreamError(
      'auth',
      `the ${kind} of environment "${environment}" was stored for ${bound} and is not sent to ${target}: the environment was pointed elsewhere after the secret was entered; enter it again for this environment (npm run cli -- env set-secret ${environment} ${kind})`,
    );
  }
  return value;
}
