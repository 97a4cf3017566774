// Reading a secret on the way to an upstream: an unreachable keychain becomes the typed cause `keychain`
// (its own cause, not `internal`), told in plain words — so a connection test, a turn and a sync all say
// the same thing about it. Must never put the secret into an error.
import type { SecretKind } from '../../../shared/environment';
import { KeychainUnavailableError } from '../secrets/keychain-errors';
import type { SecretStore } from '../secrets/secret-store';
import { UpstreamError } from './upstream-error';

export async function upstreamSecret(secrets: SecretStore, environment: string, kind: SecretKind): Promise<string | undefined> {
  try {
    return await secrets.get(environment, kind);
  } catch (err) {
    if (err instanceof KeychainUnavailableError) throw new UpstreamError('keychain', err.summary);
    throw err;
  }
}
