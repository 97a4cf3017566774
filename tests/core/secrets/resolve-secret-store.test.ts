// resolveSecretStore in a session with a working keychain (the unavailable cases run in child processes:
// keychain-unavailable.test.ts).
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyringStore } from '../../../electron/core/secrets/keyring-store';
import { envFallbackAllowed, probeKeychain, resolveSecretStore } from '../../../electron/core/secrets/resolve-secret-store';
import { assertKeyringSession } from './keyring-session';

const ENV = `rs-${randomBytes(4).toString('hex')}`;
const VAR = `COGNIGY_${ENV.toUpperCase().replace(/-/g, '_')}_CLIENT_SECRET`;

describe('resolveSecretStore (real keychain available)', () => {
  beforeAll(async () => {
    await assertKeyringSession();
  });

  it('opt-in is explicit: the flag or STREAM_DEBUGGER_SECRETS_FROM_ENV=1, nothing else', () => {
    expect(envFallbackAllowed({ env: {} })).toBe(false);
    expect(envFallbackAllowed({ env: { STREAM_DEBUGGER_SECRETS_FROM_ENV: 'true' } })).toBe(false);
    expect(envFallbackAllowed({ env: { STREAM_DEBUGGER_SECRETS_FROM_ENV: '1' } })).toBe(true);
    expect(envFallbackAllowed({ allowEnvFallback: true, env: {} })).toBe(true);
  });

  it('uses the keychain; environment variables are ignored without the opt-in', async () => {
    const notes: string[] = [];
    const store = await resolveSecretStore({ env: { [VAR]: 'from-env' }, warn: (m) => notes.push(m) });
    expect(store.kind).toBe('keychain');
    expect(await store.get(ENV, 'client-secret')).toBeUndefined();
    expect(notes).toEqual([]);
    expect(await probeKeychain()).toEqual({ available: true });
  });

  it('with the opt-in: keychain value first, the variable when the keychain has none (announced)', async () => {
    const notes: string[] = [];
    const store = await resolveSecretStore({ allowEnvFallback: true, env: { [VAR]: 'from-env' }, warn: (m) => notes.push(m) });
    expect(await store.get(ENV, 'client-secret')).toBe('from-env');
    expect(notes).toEqual([`using secret from environment variable ${VAR} (keychain fallback)`]);
    expect(await store.status(ENV)).toEqual({ 'client-secret': 'set', 'api-key': 'not set' });
    await store.set(ENV, 'client-secret', 'from-keychain'); // writes go to the keychain
    try {
      expect(await store.get(ENV, 'client-secret')).toBe('from-keychain');
      expect(await createKeyringStore().get(ENV, 'client-secret')).toBe('from-keychain');
    } finally {
      await store.delete(ENV, 'client-secret');
    }
  });
});
