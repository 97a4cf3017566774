// The keychain fallback: read-only, opt-in, loud about every variable it uses.
import { describe, expect, it } from 'vitest';
import { createEnvFallbackStore, secretEnvVarNames, SecretStoreReadOnlyError } from '../../../electron/core/secrets/env-fallback-store';

describe('createEnvFallbackStore', () => {
  it('names the variables: per environment first, then the generic one', () => {
    expect(secretEnvVarNames('acme-prod', 'client-secret')).toEqual(['COGNIGY_ACME_PROD_CLIENT_SECRET', 'COGNIGY_CLIENT_SECRET']);
    expect(secretEnvVarNames('eu.Trial_2', 'api-key')).toEqual(['COGNIGY_EU_TRIAL_2_API_KEY', 'COGNIGY_API_KEY']);
  });

  it('reads the per-environment variable before the generic one and says so on every first use', async () => {
    const notes: string[] = [];
    const store = createEnvFallbackStore(
      { COGNIGY_ACME_PROD_CLIENT_SECRET: 'specific', COGNIGY_CLIENT_SECRET: 'generic', COGNIGY_API_KEY: 'key' },
      { warn: (m) => notes.push(m) },
    );
    expect(store.kind).toBe('env-fallback');
    expect(await store.get('acme-prod', 'client-secret')).toBe('specific');
    expect(await store.get('other', 'client-secret')).toBe('generic');
    expect(await store.get('acme-prod', 'api-key')).toBe('key');
    expect(await store.get('acme-prod', 'client-secret')).toBe('specific');
    expect(notes).toEqual([
      'using secret from environment variable COGNIGY_ACME_PROD_CLIENT_SECRET (keychain fallback)',
      'using secret from environment variable COGNIGY_CLIENT_SECRET (keychain fallback)',
      'using secret from environment variable COGNIGY_API_KEY (keychain fallback)',
    ]);
    expect(notes.join('\n')).not.toMatch(/specific|generic|\bkey\b(?! \()/);
  });

  it('an unset or empty variable is "not set"', async () => {
    const store = createEnvFallbackStore({ COGNIGY_X_API_KEY: '' }, { warn: () => undefined });
    expect(await store.get('x', 'api-key')).toBeUndefined();
    expect(await store.status('x')).toEqual({ 'client-secret': 'not set', 'api-key': 'not set' });
    const set = createEnvFallbackStore({ COGNIGY_X_API_KEY: 'k' }, { warn: () => undefined });
    expect(await set.status('x')).toEqual({ 'client-secret': 'not set', 'api-key': 'set' });
  });

  it('is read-only: set and delete throw, explaining how to pass a secret per run', async () => {
    const env: NodeJS.ProcessEnv = {};
    const store = createEnvFallbackStore(env, { warn: () => undefined });
    const err = await store.set('acme', 'client-secret', 'never-stored-anywhere').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreReadOnlyError);
    expect((err as Error).message).toMatch(/read-only/);
    expect((err as Error).message).toMatch(/never written to a plain-text file/);
    expect((err as Error).message).toContain('COGNIGY_ACME_CLIENT_SECRET');
    expect((err as Error).message).toContain('--secret-from-env');
    expect((err as Error).message).not.toContain('never-stored-anywhere');
    await expect(store.delete('acme', 'client-secret')).rejects.toBeInstanceOf(SecretStoreReadOnlyError);
    expect(env).toEqual({}); // nothing written into the environment either
  });
});
