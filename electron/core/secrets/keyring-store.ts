// The default SecretStore: the OS keychain through @napi-rs/keyring (macOS Keychain, Windows Credential
// Manager, the freedesktop Secret Service on Linux). Service `cognigy-stream-debugger`, account
// `<environment>/<kind>`. Every failure to reach the keychain becomes a KeychainUnavailableError with a reason
// and a fix. Must never fall back to anything else on its own (no file, no kernel keyring): a fallback is the
// caller's explicit choice (resolve-secret-store.ts).
import type { EntryOptions } from '@napi-rs/keyring';
import { SECRET_KINDS, type SecretKind, type SecretStatus } from '../../../shared/environment';
import { KEYCHAIN_SERVICE, secretAccount, type SecretStore } from './secret-store';
import { KeychainUnavailableError, toKeychainError } from './keychain-errors';
import { createKeychainThread, type KeychainOp, type KeychainThread } from './keychain-thread';

// On Linux the library's default silently falls back to the kernel keyring (keyutils) when there is no
// Secret Service: secrets would then vanish at logout and the user would never learn why. Pinning the
// Secret Service turns that into an error we can explain.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** One thread for the keychain calls of the whole process, started on first use (keychain-thread.ts says why). */
let thread: KeychainThread | undefined;

const ACTION = { get: 'read', set: 'store', delete: 'delete' } as const;

export interface KeyringStoreOptions {
  /** Keychain service name; tests may use their own to stay out of the way of real data. */
  service?: string;
}

export function createKeyringStore(opts: KeyringStoreOptions = {}): SecretStore {
  const service = opts.service ?? KEYCHAIN_SERVICE;

  /**
   * Runs one keychain operation; any failure becomes a KeychainUnavailableError (without the value being
   * stored). A daemon that died while answering (reason "stopped") gets one more try: the desktop session or
   * D-Bus starts it again, and every operation here is safe to repeat (read, store-or-replace, delete).
   */
  async function call(environment: string, kind: SecretKind, op: KeychainOp): Promise<string | boolean | null> {
    thread ??= createKeychainThread(ENTRY_OPTIONS);
    for (let attempt = 1; ; attempt++) {
      try {
        return await thread.call({ ...op, service, account: secretAccount(environment, kind) });
      } catch (err) {
        const secret = op.op === 'set' ? op.value : undefined;
        const e = toKeychainError(err, { secret, action: `${ACTION[op.op]} the ${kind} of environment "${environment}"` });
        if (e.reason !== 'stopped' || attempt === 2) throw e;
      }
    }
  }

  let lastUnavailable: KeychainUnavailableError | undefined;
  const store: SecretStore = {
    kind: 'keychain',
    lastUnavailable: () => lastUnavailable,
    async get(environment, kind) {
      const v = await call(environment, kind, { op: 'get' });
      return typeof v === 'string' ? v : undefined;
    },
    async set(environment, kind, value) {
      if (!value) throw new Error(`refusing to store an empty ${kind} for environment "${environment}"`);
      await call(environment, kind, { op: 'set', value });
    },
    async delete(environment, kind) {
      return (await call(environment, kind, { op: 'delete' })) === true;
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
