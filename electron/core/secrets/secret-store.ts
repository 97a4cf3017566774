// The one interface every part of the product uses to reach a secret (OAuth client secret, management API
// key). Implementations: the OS keychain (the default), a read-only environment-variable fallback (explicit
// opt-in), and an in-memory store (the demo and tests). Values returned here must never be logged, put in
// events, written to files or included in error messages.
import type { SecretKind, SecretStatus } from '../../../shared/environment';
import type { KeychainUnavailableError } from './keychain-errors';
import type { SecretBindings } from './secret-binding';

export type SecretStoreKind = 'keychain' | 'env-fallback' | 'memory';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** The secret, or undefined when none is stored. Throws KeychainUnavailableError when it cannot look. */
  get(environment: string, kind: SecretKind): Promise<string | undefined>;
  /** Stores (or replaces) the secret. Throws when the store cannot hold it. */
  set(environment: string, kind: SecretKind, value: string): Promise<void>;
  /** True if a secret was deleted, false if there was none. */
  delete(environment: string, kind: SecretKind): Promise<boolean>;
  /** Whether each secret is set; 'unavailable' when the store cannot be read (never throws for that). */
  status(environment: string): Promise<SecretStatus>;
  /** Why the last status() said 'unavailable' (keychain stores only), so a listing can print the fix. */
  lastUnavailable?(): KeychainUnavailableError | undefined;
  /** Where each stored secret may be sent (secret-binding.ts); absent: the store's secrets are per run. */
  readonly bindings?: SecretBindings;
}

/** The keychain service name under which every secret of the product is stored. */
export const KEYCHAIN_SERVICE = 'cognigy-stream-debugger';

/** The keychain account of one secret: `<environment>/<kind>`, e.g. `acme-prod/client-secret`. */
export function secretAccount(environment: string, kind: SecretKind): string {
  return `${environment}/${kind}`;
}
