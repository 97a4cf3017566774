// The secret index: which secrets are known to be stored, for when the keychain cannot be asked. It learns
// from every answer of the store it wraps and never holds a value.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../electron/core/secrets/memory-store';
import { createDeferredStore } from '../../../electron/core/secrets/resolve-secret-store';
import { createSecretIndex, SECRET_INDEX_FILE, withSecretIndex } from '../../../electron/core/secrets/secret-index';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'secret-index-'));
  dirs.push(d);
  return d;
};

describe('secret index', () => {
  it('learns from set, get, status and delete, and never stores a value', async () => {
    const dir = tmp();
    const index = createSecretIndex(dir);
    // A secret stored before the index existed is learnt the first time the keychain answers.
    const store = withSecretIndex(createMemoryStore({ old: { 'api-key': 'old-key-value' } }), index);
    expect(await index.stored('old')).toEqual([]);
    await store.status('old');
    expect(await index.stored('old')).toEqual(['api-key']);
    await store.set('acme', 'client-secret', 'the-value-Zq9');
    expect(await index.stored('acme')).toEqual(['client-secret']);
    expect(readFileSync(join(dir, SECRET_INDEX_FILE), 'utf8')).not.toContain('the-value-Zq9');
    await store.delete('acme', 'client-secret');
    expect(await index.stored('acme')).toEqual([]);
    expect(await store.get('acme', 'client-secret')).toBeUndefined();
    expect(await index.stored('acme')).toEqual([]);
  });

  it('a damaged index knows nothing (it only ever adds caution) and is rewritten on the next answer', async () => {
    const dir = tmp();
    writeFileSync(join(dir, SECRET_INDEX_FILE), '{ not json');
    const index = createSecretIndex(dir);
    expect(await index.stored('acme')).toEqual([]);
    await withSecretIndex(createMemoryStore(), index).set('acme', 'api-key', 'k');
    expect(await index.stored('acme')).toEqual(['api-key']);
  });
});

describe('deferred store', () => {
  it('is not resolved until a secret is asked for', async () => {
    let resolved = 0;
    const store = createDeferredStore(async () => {
      resolved++;
      return createMemoryStore({ acme: { 'api-key': 'k' } });
    });
    expect(resolved).toBe(0);
    expect(await store.get('acme', 'api-key')).toBe('k');
    expect(await store.get('acme', 'api-key')).toBe('k');
    expect(resolved).toBe(1);
  });
});
