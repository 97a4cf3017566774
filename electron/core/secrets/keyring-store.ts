// The default SecretStore: the OS keychain through @napi-rs/keyring (macOS Keychain, Windows Credential
// Manager, the freedesktop Secret Service on Linux). Service `cognigy-stream-debugger`, account
// `<environment>/<kind>`. Every failure to reach the keychain becomes a KeychainUnavailableError with a reason
// and a fix. Must never fall back to anything else on its own (no file, no kernel keyring): a fallback is the
// caller's explicit choice (resolve-secret-store.ts).
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { SECRET_KINDS, type SecretKind, type SecretStatus } from '../../../shared/environment';
import { KEYCHAIN_SERVICE, secretAccount, type SecretStore } from './secret-store';
import { KeychainUnavailableError, toKeychainError } from './keychain-errors';

// On Linux the library's default silently falls back to the kernel keyring (keyutils) when there is no
// Secret Service: secrets would then vanish at logout and the user would never learn why. Pinning the
// Secret Service turns that into an error we can explain.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

export interface KeyringStoreOptions {
  /** Keychain service name; tests may use their own to stay out of the way of real data. */
  service?: string;
}

export function createKeyringStore(opts: KeyringStoreOptions = {}): SecretStore {
  const service = opts.service ?? KEYCHAIN_SERVICE;

  /**
   * Runs one keychain operation; any failure becomes a KeychainUnavailableError. A daemon that died while
   * answering (reason "stopped") gets one more try: the desktop session or D-Bus starts it again, and every
   * operation here is safe to repeat (read, store-or-replace, delete).
   */
  async function withEntry<T>(environment: string, kind: SecretKind, action: string, op: (e: AsyncEntry) => Promise<T>, secret?: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        // The constructor already talks to D-Bus on Linux and throws when there is no Secret Service.
        const entry = new AsyncEntry(service, secretAccount(environment, kind), ENTRY_OPTIONS);
        return await op(entry);
      } catch (err) {
        const e = toKeychainError(err, { secret, action: `${action} the ${kind} of environment "${environment}"` });
        if (e.reason !== 'stopped' || attempt === 2) throw e;
      }
    }
  }

  let lastUnavailable: KeychainUnavailableError | undefined;
  const store: SecretStore = {
    kind: 'keychain',
    lastUnavailable: () => lastUnavailable,
    async get(environment, kind) {
      const v = await withEntry(environment, kind, 'read', (e) => e.getPassword());
      return v ?? undefined;
    },
    async set(environment, kind, value) {
      if (!value) throw new Error(`refusing to store an empty ${kind} for environment "${environment}"`);
      await withEntry(environment, kind, 'store', (e) => e.setPassword(value), value);
    },
    async delete(environment, kind) {
      return withEntry(environment, kind, 'delete', (e) => e.deleteCredential());
    },
    async status(environment) {
      const s: SecretStatus = { 'client-secret': 'unavailable', 'api-key': 'unavailable' };
      lastUnavailable = undefined;
      for (const kind of SECRET_KINDS) {
        try {
          s[kind] = (await store.get(environment, kind)) === undefined ? 'not set' : 'set';
        } catch (err) {
          if (!(err instanceof KeychainUnavailableError)) throw err;
          lastUnavailable = err;
          // One failure is enough: asking again would only show the user a second unlock prompt.
          break;
        }
      }
      return s;
    },
  };
  return store;
}
