// The keychain store against a real gnome-keyring (the session `npm test` sets up), cross-checked with
// secret-tool (libsecret), an independent client of the same Secret Service.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyringStore } from '../../../electron/core/secrets/keyring-store';
import { KEYCHAIN_SERVICE, secretAccount } from '../../../electron/core/secrets/secret-store';
import { SECRET_KINDS } from '../../../shared/environment';
import { assertKeyringSession, secretToolSearch } from './keyring-session';

// Unique per run: test files share one keyring and may run in parallel.
const ENV = `kr-${randomBytes(4).toString('hex')}`;
const secret = () => `s3cr3t-${randomBytes(12).toString('base64url')}`;

describe('createKeyringStore (real gnome-keyring)', () => {
  const store = createKeyringStore();

  beforeAll(async () => {
    await assertKeyringSession();
  });

  afterAll(async () => {
    for (const kind of SECRET_KINDS) await store.delete(ENV, kind).catch(() => undefined);
  });

  it('is a keychain store', () => {
    expect(store.kind).toBe('keychain');
  });

  it('set, get, overwrite, delete', async () => {
    expect(await store.get(ENV, 'client-secret')).toBeUndefined();
    const a = secret();
    await store.set(ENV, 'client-secret', a);
    expect(await store.get(ENV, 'client-secret')).toBe(a);
    const b = secret();
    await store.set(ENV, 'client-secret', b);
    expect(await store.get(ENV, 'client-secret')).toBe(b);
    expect(await store.delete(ENV, 'client-secret')).toBe(true);
    expect(await store.get(ENV, 'client-secret')).toBeUndefined();
    expect(await store.delete(ENV, 'client-secret')).toBe(false);
  });

  it('keeps the two kinds and different environments apart', async () => {
    const other = `${ENV}-other`;
    const cs = secret();
    const ak = secret();
    await store.set(ENV, 'client-secret', cs);
    await store.set(ENV, 'api-key', ak);
    expect(await store.get(ENV, 'client-secret')).toBe(cs);
    expect(await store.get(ENV, 'api-key')).toBe(ak);
    expect(await store.get(other, 'client-secret')).toBeUndefined();
    await store.delete(ENV, 'api-key');
    expect(await store.get(ENV, 'client-secret')).toBe(cs);
    await store.delete(ENV, 'client-secret');
  });

  it('status reports set / not set', async () => {
    expect(await store.status(ENV)).toEqual({ 'client-secret': 'not set', 'api-key': 'not set' });
    await store.set(ENV, 'api-key', secret());
    expect(await store.status(ENV)).toEqual({ 'client-secret': 'not set', 'api-key': 'set' });
    await store.set(ENV, 'client-secret', secret());
    expect(await store.status(ENV)).toEqual({ 'client-secret': 'set', 'api-key': 'set' });
    await store.delete(ENV, 'api-key');
    await store.delete(ENV, 'client-secret');
  });

  it('stores under service cognigy-stream-debugger, account <environment>/<kind> (seen by secret-tool)', async () => {
    const value = secret();
    await store.set(ENV, 'client-secret', value);
    const items = (await secretToolSearch(KEYCHAIN_SERVICE)).filter((i) => i.attributes.username?.startsWith(`${ENV}/`));
    expect(items).toHaveLength(1);
    expect(items[0]!.attributes).toMatchObject({ service: KEYCHAIN_SERVICE, username: `${ENV}/client-secret` });
    expect(items[0]!.secret).toBe(value);
    expect(secretAccount(ENV, 'client-secret')).toBe(`${ENV}/client-secret`);
    await store.delete(ENV, 'client-secret');
    expect((await secretToolSearch(KEYCHAIN_SERVICE)).filter((i) => i.attributes.username?.startsWith(`${ENV}/`))).toHaveLength(0);
  });

  it('round-trips secrets with unicode, spaces and symbols exactly', async () => {
    const value = ` pä$$ wörd 🔑 \\"'\t end `;
    await store.set(ENV, 'api-key', value);
    expect(await store.get(ENV, 'api-key')).toBe(value);
    await store.delete(ENV, 'api-key');
  });

  it('refuses an empty secret without touching the keyring', async () => {
    await expect(store.set(ENV, 'api-key', '')).rejects.toThrow(/empty/);
    expect(await store.get(ENV, 'api-key')).toBeUndefined();
  });

  it('a store with its own service name does not see the product\'s entries', async () => {
    const own = createKeyringStore({ service: `${KEYCHAIN_SERVICE}-test-${ENV}` });
    await store.set(ENV, 'client-secret', secret());
    expect(await own.get(ENV, 'client-secret')).toBeUndefined();
    await store.delete(ENV, 'client-secret');
  });
});
